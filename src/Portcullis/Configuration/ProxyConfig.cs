namespace Portcullis.Configuration;

/// <summary>How the gateway talks to upstreams.</summary>
internal sealed record ProxyConfig
{
    /// <summary>TCP connect timeout to an upstream. Short on purpose: an upstream that does not accept within 1 s is down, and the client gets 502 at once.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(1);
}
