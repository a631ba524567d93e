namespace Portcullis.Configuration;

/// <summary>
/// Limits per client address (<c>client_limits:</c>). A client is the real address (behind trusted proxies, the
/// first untrusted X-Forwarded-For hop; for connections, the TCP peer); IPv6 addresses are grouped by
/// <see cref="Ipv6Prefix"/>, because one subscriber usually gets a whole /64 and can hop inside it at will.
/// Applies on reload.
/// </summary>
internal sealed record ClientLimitsConfig
{
    /// <summary>The gateway-wide rate limit that sites and routes inherit. Off by default: the right rate depends on the application.</summary>
    public RateLimitConfig RateLimit { get; init; } = RateLimitConfig.Off;

    /// <summary>IPv6 clients in the same prefix share their limits. /64 is what RFC 6177 and ISPs hand one subscriber.</summary>
    public int Ipv6Prefix { get; init; } = 64;

    /// <summary>
    /// Open connections per client address, refused when accepted (before TLS); null = off. 256: a browser opens
    /// about 6 per host name over HTTP/1.1 and 1 over HTTP/2, so this leaves room for an office behind one NAT address
    /// while one address cannot hold the gateway's 10,000 slots.
    /// </summary>
    public int? MaxConnections { get; init; } = 256;

    /// <summary>Requests a client may have in flight at once (429 above); null = off. Bounds what one client can tie up upstream.</summary>
    public int? MaxRequestsInFlight { get; init; } = 256;
}
