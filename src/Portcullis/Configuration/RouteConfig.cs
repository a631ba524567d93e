namespace Portcullis.Configuration;

/// <summary>A path prefix of a site and the upstreams that serve it.</summary>
internal sealed record RouteConfig
{
    /// <summary>Starts with '/'; matches itself and everything below it on a segment boundary ("/api" matches "/api" and "/api/x", not "/apix").</summary>
    public required string Path { get; init; }

    /// <summary>http:// or https:// base URLs, at least one.</summary>
    public required IReadOnlyList<Uri> Upstreams { get; init; }

    public LoadBalancingPolicy LoadBalancing { get; init; } = LoadBalancingPolicy.RoundRobin;

    public required HealthCheckConfig HealthCheck { get; init; }

    /// <summary>How long the upstream may stay silent (no headers, no body bytes) before the client gets 504. nginx's proxy_read_timeout is 60 s.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Largest request body accepted on this route (413 above); null = the gateway-wide <see cref="LimitsConfig.MaxBodySize"/>.</summary>
    public long? MaxBodySize { get; init; }

    /// <summary><c>challenge: off</c>: the site's challenge never applies here (APIs, webhooks: clients that cannot run the page).</summary>
    public bool ChallengeExempt { get; init; }

    /// <summary>This route's per-client rate limit; null = the site's.</summary>
    public RateLimitConfig? RateLimit { get; init; }

    /// <summary>Cap on requests in flight to each upstream of the route; null = none.</summary>
    public UpstreamLimitConfig? UpstreamLimit { get; init; }
}

internal enum LoadBalancingPolicy
{
    RoundRobin,
    LeastRequests,
}

/// <summary>How upstreams are taken out of rotation and brought back.</summary>
internal sealed record HealthCheckConfig
{
    /// <summary>Active check: GET this path on every upstream each <see cref="Interval"/>; null disables active checks.</summary>
    public string? Path { get; init; }

    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Passive check: this many consecutive failed forwards (connect error, 5xx from the gateway's view) take an upstream out. 0 disables.</summary>
    public int PassiveFailures { get; init; } = 3;

    /// <summary>How long a passively-failed upstream stays out before it gets traffic again (nginx's fail_timeout is 10 s).</summary>
    public TimeSpan PassiveCooldown { get; init; } = TimeSpan.FromSeconds(10);
}
