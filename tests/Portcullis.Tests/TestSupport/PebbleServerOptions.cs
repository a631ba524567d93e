namespace Portcullis.Tests.TestSupport;

/// <summary>How a <see cref="PebbleServer"/> is configured; every default is the fast, deterministic choice.</summary>
internal sealed record PebbleServerOptions
{
    /// <summary>Port pebble's VA connects to for http-01 (the test serves there); a free one when null.</summary>
    public int? HttpPort { get; init; }

    /// <summary>Port pebble's VA connects to for tls-alpn-01; a free one when null.</summary>
    public int? TlsPort { get; init; }

    /// <summary>Lifetime of issued certificates (pebble's certificateValidityPeriod); pebble's default (5 years) when null.</summary>
    public TimeSpan? CertificateValidity { get; init; }

    public bool ExternalAccountBindingRequired { get; init; }

    /// <summary>EAB key id → HMAC key (base64url), pebble's externalAccountMACKeys.</summary>
    public IReadOnlyDictionary<string, string> ExternalAccountMacKeys { get; init; } = new Dictionary<string, string>();

    /// <summary>Domains pebble refuses with rejectedIdentifier (and their subdomains).</summary>
    public IReadOnlyList<string> DomainBlocklist { get; init; } = [];

    /// <summary>PEBBLE_WFE_NONCEREJECT: the percentage of good nonces pebble rejects as badNonce (its default is 5).</summary>
    public int NonceRejectPercent { get; init; }

    /// <summary>PEBBLE_AUTHZREUSE: how often pebble reuses a valid authorization (its default is 50).</summary>
    public int AuthorizationReusePercent { get; init; }
}
