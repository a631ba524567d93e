namespace Portcullis.Audit.Tls;

/// <summary>
/// What the handshake probes learned about a server's TLS (everything but the certificate). Null booleans mean the
/// probe could not tell (the reason is a finding).
/// </summary>
/// <param name="Protocols">Every version probed, SSLv2 to TLS 1.3, with whether the server accepted it.</param>
/// <param name="Suites">Per accepted version, the suites the server accepted, in the server's order when it imposes one.</param>
/// <param name="ServerEnforcesOrder">Whether the server picks by its own preference rather than the client's.</param>
/// <param name="Groups">Key-exchange groups accepted (IANA names: x25519, secp256r1, ffdhe2048, ...).</param>
/// <param name="SmallestEphemeralBits">Weakest ephemeral key exchange seen, in RSA-equivalent bits (DH p size; EC: 256-bit curve = 3072), for the key-exchange score; null when none.</param>
/// <param name="SecureRenegotiation">RFC 5746 renegotiation_info in the ServerHello.</param>
/// <param name="Compression">The server selected a compression method other than null (CRIME).</param>
/// <param name="FallbackScsv">The server refuses a downgraded hello carrying TLS_FALLBACK_SCSV (RFC 7507); null when only one version is accepted.</param>
/// <param name="OcspStapled">The server answered status_request with a stapled OCSP response.</param>
internal sealed record TlsProbeResult(
    IReadOnlyList<ProtocolSupport> Protocols,
    IReadOnlyDictionary<TlsVersion, IReadOnlyList<CipherSuite>> Suites,
    bool? ServerEnforcesOrder,
    IReadOnlyList<string> Groups,
    int? SmallestEphemeralBits,
    bool? SecureRenegotiation,
    bool? Compression,
    bool? FallbackScsv,
    bool? OcspStapled)
{
    public bool Accepts(TlsVersion version) => Protocols.Any(p => p.Version == version && p.Accepted == true);
}

/// <summary>Whether one protocol version was accepted; null when the probe failed (timeout, garbage), with why.</summary>
internal sealed record ProtocolSupport(TlsVersion Version, bool? Accepted, string? Note = null);
