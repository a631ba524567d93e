namespace Portcullis.Configuration;

/// <summary>
/// Protocol limits applied by Kestrel. Each default names where it comes from and the attack it stops; see
/// docs/configuration.md. Changing them needs a restart.
/// </summary>
internal sealed record LimitsConfig
{
    /// <summary>Request line (method + target + version). Kestrel's 8 KB, nginx's large_client_header_buffers 8k. Stops URL-based buffer abuse (414).</summary>
    public int MaxRequestLineSize { get; init; } = 8 * 1024;

    /// <summary>All request headers together. Kestrel's 32 KB. Stops header floods (431).</summary>
    public int MaxRequestHeadersTotalSize { get; init; } = 32 * 1024;

    /// <summary>Number of request headers. Kestrel's 100. Stops hash-flooding and header-count abuse (431).</summary>
    public int MaxRequestHeaderCount { get; init; } = 100;

    /// <summary>Time to receive all request headers. nginx's client_header_timeout is 60 s; 15 s stops slowloris sooner without hurting real clients.</summary>
    public TimeSpan RequestHeadersTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Idle time between requests on a connection. nginx's keepalive_timeout is 75 s.</summary>
    public TimeSpan KeepAliveTimeout { get; init; } = TimeSpan.FromSeconds(75);

    /// <summary>Slowest request body accepted after the grace period, bytes/s (Kestrel's 240 B/s after 5 s). Stops slow-POST (R.U.D.Y.).</summary>
    public double MinRequestBodyDataRate { get; init; } = 240;

    /// <summary>Slowest reader of a response accepted, bytes/s (Kestrel's 240 B/s after 5 s). Stops slow-read attacks.</summary>
    public double MinResponseDataRate { get; init; } = 240;

    /// <summary>Grace period before the data-rate minimums apply.</summary>
    public TimeSpan DataRateGracePeriod { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Largest request body (413 above) unless a route says otherwise. 100 MB: large enough for uploads, small enough to bound disk and upstream abuse.</summary>
    public long MaxBodySize { get; init; } = 100L * 1024 * 1024;

    /// <summary>HTTP/2 concurrent streams per connection. Kestrel's and nginx's 100 / 128. Bounds per-connection work.</summary>
    public int Http2MaxStreamsPerConnection { get; init; } = 100;

    /// <summary>
    /// HTTP/2 streams a client may cancel per connection in 10 s before the connection is closed; null = off. Stops
    /// rapid reset (CVE-2023-44487) also when it is paced to slip under Kestrel's own defence (see Limits/Http2ResetBudget).
    /// 200: a browser cancels a page's pending requests when the user navigates away, a few dozen at most.
    /// </summary>
    public int? Http2MaxResets { get; init; } = 200;

    /// <summary>Open client connections across the gateway; null = unbounded. Bounds memory and file descriptors under a flood.</summary>
    public long? MaxConnections { get; init; } = 10_000;
}
