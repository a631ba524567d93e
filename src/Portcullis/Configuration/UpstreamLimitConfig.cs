namespace Portcullis.Configuration;

/// <summary>
/// Requests in flight to each upstream of a route (<c>upstream_limit:</c>). Over <see cref="MaxInFlight"/>, up to
/// <see cref="Queue"/> requests wait at most <see cref="QueueTimeout"/>; the rest get 503 with Retry-After, so an
/// overloaded application sheds load at the gateway instead of queueing without bound.
/// </summary>
internal sealed record UpstreamLimitConfig
{
    public int MaxInFlight { get; init; } = 100;

    /// <summary>Requests allowed to wait for a slot. Short on purpose: a long queue only adds latency to a request that will time out anyway.</summary>
    public int Queue { get; init; }

    public TimeSpan QueueTimeout { get; init; } = TimeSpan.FromSeconds(1);
}
