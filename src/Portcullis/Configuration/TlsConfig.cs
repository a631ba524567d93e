namespace Portcullis.Configuration;

/// <summary>Gateway-wide TLS policy.</summary>
internal sealed record TlsConfig
{
    public TlsProfile Profile { get; init; } = TlsProfile.Intermediate;

    /// <summary>When true, a ClientHello whose SNI names no configured host fails the handshake instead of getting the default site's certificate.</summary>
    public bool StrictSni { get; init; }

    /// <summary>The ACME CA for sites with <c>tls: { acme: true }</c> (Let's Encrypt production unless <c>tls.acme</c> says otherwise).</summary>
    public AcmeConfig Acme { get; init; } = new();
}

/// <summary>Mozilla Server Side TLS profiles (see ../shared/notes/tls.md §2).</summary>
internal enum TlsProfile
{
    /// <summary>TLS 1.2 + 1.3, ECDHE with AEAD suites only (Mozilla intermediate 5.8, no DHE).</summary>
    Intermediate,

    /// <summary>TLS 1.3 only.</summary>
    Modern,
}
