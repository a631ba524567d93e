namespace Portcullis.Audit.Tls;

/// <summary>
/// What one probe offers. <see cref="Version"/> is the single version offered: TLS 1.3 goes only in
/// supported_versions (RFC 8446 §4.2.1), older versions in legacy_version, so a server that answers at all answers
/// with exactly that version or refuses.
/// </summary>
/// <param name="Suites">Suite codes in preference order.</param>
/// <param name="Groups">supported_groups in preference order; for TLS 1.3 the first gets a key_share.</param>
/// <param name="ServerName">SNI host name, or null (IP targets, RFC 6066 §3).</param>
internal sealed record ClientHello(TlsVersion Version, IReadOnlyList<ushort> Suites, IReadOnlyList<NamedGroup> Groups, string? ServerName)
{
    /// <summary>Offer DEFLATE before NULL (the CRIME test); never for TLS 1.3, which allows only NULL (RFC 8446 §4.1.2).</summary>
    public bool OfferCompression { get; init; }

    /// <summary>Append TLS_FALLBACK_SCSV 0x5600 (RFC 7507 §4): "this is a retry at a lower version".</summary>
    public bool FallbackScsv { get; init; }

    /// <summary>Send status_request (RFC 6066 §8) to ask for a stapled OCSP response.</summary>
    public bool StatusRequest { get; init; }

    /// <summary>The default groups offered when the probe is not about groups.</summary>
    public static readonly IReadOnlyList<NamedGroup> DefaultGroups = NamedGroup.All;
}
