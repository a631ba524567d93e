namespace Portcullis.Audit.Certificates;

/// <summary>
/// The server's certificate chain as served, and what is wrong with it.
/// </summary>
/// <param name="Chain">Certificates in the order the server sent them, leaf first.</param>
/// <param name="InOrder">Each certificate is issued by the next one.</param>
/// <param name="Complete">The served chain reaches a trusted root without fetching intermediates (the root itself may be omitted).</param>
/// <param name="Trusted">The chain validates against the system store plus --ca.</param>
/// <param name="TrustProblem">Why it does not (expired, self-signed, unknown issuer, ...), or null.</param>
/// <param name="NameMatches">The leaf's SAN (or CN when no SAN) covers the audited name (RFC 6125 wildcards).</param>
internal sealed record CertificateReport(
    IReadOnlyList<ServedCertificate> Chain,
    bool InOrder,
    bool Complete,
    bool Trusted,
    string? TrustProblem,
    bool NameMatches)
{
    public ServedCertificate Leaf => Chain[0];
}

/// <summary>
/// One certificate of the served chain.
/// </summary>
/// <param name="KeyType">RSA, ECDSA or EdDSA.</param>
/// <param name="KeyBits">RSA modulus bits, or the curve size (256 for P-256).</param>
/// <param name="SignatureAlgorithm">e.g. sha256WithRSAEncryption, ecdsa-with-SHA256, sha1WithRSAEncryption.</param>
/// <param name="Names">DNS and IP SANs (leaf), or empty.</param>
internal sealed record ServedCertificate(
    string Subject,
    string Issuer,
    DateTimeOffset NotBefore,
    DateTimeOffset NotAfter,
    string KeyType,
    int KeyBits,
    string SignatureAlgorithm,
    IReadOnlyList<string> Names,
    string Sha256Fingerprint,
    bool SelfSigned);
