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

    /// <summary>
    /// The only thing wrong with the chain is a missing intermediate: browsers that cache or fetch it still trust the
    /// site, so SSL Labs caps the grade at B instead of T (notes/tls.md §1.2).
    /// </summary>
    public bool MissingIntermediateOnly { get; init; }

    /// <summary>The name the leaf was checked against (the SNI, or the host/IP typed).</summary>
    public string? ExpectedName { get; init; }

    /// <summary>Whole days until the leaf expires at audit time (negative once expired).</summary>
    public int DaysLeft { get; init; }

    /// <summary>The leaf is signed with SHA-1 (SHAttered, 2017): browsers reject such certificates.</summary>
    public bool Sha1Signature => Leaf.SignatureAlgorithm.StartsWith("sha1", StringComparison.OrdinalIgnoreCase) || Leaf.SignatureAlgorithm is "ecdsa-with-SHA1" or "dsaWithSHA1";

    /// <summary>The leaf is signed with MD5 or MD2 (forgeable since 2008).</summary>
    public bool Md5Signature => Leaf.SignatureAlgorithm.StartsWith("md", StringComparison.OrdinalIgnoreCase);

    /// <summary>The certificate key in RSA-equivalent bits, the scale of SSL Labs' key-exchange table (EC P-256 ≈ 3072).</summary>
    public int LeafRsaEquivalentBits => Leaf.KeyType switch
    {
        "RSA" or "DSA" => Leaf.KeyBits,
        "ECDSA" or "EdDSA" => Leaf.KeyBits switch
        {
            >= 512 => 15360,
            >= 384 => 7680,
            >= 256 => 3072,
            >= 224 => 2048,
            _ => 1024,
        },
        _ => 0,
    };
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
