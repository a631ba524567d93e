namespace Portcullis.Audit.Http;

/// <summary>A request's outcome: the exchange, or at which stage it failed and why (a value, not an exception: a closed port is an answer).</summary>
internal sealed record FetchResult(HttpExchange? Exchange, FetchStage? FailedAt = null, string? Error = null)
{
    public static FetchResult Failed(FetchStage stage, string error) => new(null, stage, error);
}

/// <summary>Where a request stopped.</summary>
internal enum FetchStage
{
    Resolve,
    Connect,
    Tls,
    Http,
}
