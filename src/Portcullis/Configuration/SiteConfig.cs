namespace Portcullis.Configuration;

/// <summary>One site: the host names it answers for, its certificate and its routes.</summary>
internal sealed record SiteConfig
{
    public required string Name { get; init; }

    /// <summary>Lowercase host names; a leading "*." matches exactly one more label.</summary>
    public required IReadOnlyList<string> Hosts { get; init; }

    /// <summary>Gets requests (and TLS handshakes) for names no site lists.</summary>
    public bool IsDefault { get; init; }

    public required SiteTlsConfig Tls { get; init; }

    /// <summary>Header settings merged over the gateway-wide ones.</summary>
    public required HeadersConfig Headers { get; init; }

    public required IReadOnlyList<RouteConfig> Routes { get; init; }

    /// <summary>Firewall mode and paranoia for this site (the gateway-wide waf: settings unless overridden).</summary>
    public SiteWafConfig Waf { get; init; } = new();

    /// <summary>Whether browsers must solve a proof-of-work first (<c>challenge:</c>, docs/challenge.md).</summary>
    public ChallengeConfig Challenge { get; init; } = ChallengeConfig.Off;

    /// <summary>This site's per-client rate limit; null = the gateway-wide <c>client_limits.rate_limit</c>.</summary>
    public RateLimitConfig? RateLimit { get; init; }
}

/// <summary>A site's certificate: PEM files, one obtained over ACME, or a self-signed one kept in data_dir.</summary>
internal sealed record SiteTlsConfig
{
    /// <summary>PEM file with the leaf first, then the intermediates (absolute path).</summary>
    public string? CertPath { get; init; }

    /// <summary>PEM private key (absolute path).</summary>
    public string? KeyPath { get; init; }

    /// <summary>The certificate is obtained and renewed over ACME (<c>tls.acme</c>) and kept in data_dir/certs/acme.</summary>
    public bool Acme { get; init; }

    public bool SelfSigned => CertPath is null && !Acme;
}
