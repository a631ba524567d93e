using Portcullis.Audit.Certificates;
using Portcullis.Audit.Grading;
using Portcullis.Audit.Tls;

namespace Portcullis.Tests.Audit.Grading;

/// <summary>The 2009r rules one at a time: each case changes one thing about a model server and names the letter it must get.</summary>
public sealed class SslLabsGraderTests
{
    private const long TwoYears = 63072000;

    private static readonly ushort[] ModelTls12 = [0xC02F, 0xC030, 0xCCA8];
    private static readonly ushort[] ModelTls13 = [0x1301, 0x1302, 0x1303];

    /// <summary>Protocol versions as wire codes (TlsVersion is internal; theory data must be public).</summary>
    public sealed record Versions(params ushort[] Codes);

    private const ushort Ssl2 = 0x0200, Ssl3 = 0x0300, Tls10 = 0x0301, Tls11 = 0x0302, Tls12 = 0x0303, Tls13 = 0x0304;

    /// <summary>A variation of the model: which versions and suites, DH/EC size, flags, certificate tweaks, HSTS.</summary>
    public sealed record Case(
        string Name,
        Versions? Versions = null,
        ushort[]? ExtraTls12 = null,
        (ushort Version, ushort[] Suites)[]? Suites = null,
        int? Ephemeral = 3072,
        bool? Compression = false,
        bool? SecureRenegotiation = true,
        bool Trusted = true,
        bool NameMatches = true,
        bool MissingIntermediateOnly = false,
        string Signature = "sha256WithRSAEncryption",
        string KeyType = "RSA",
        int KeyBits = 2048,
        long? Hsts = TwoYears)
    {
        public override string ToString() => Name;
    }

    public static TheoryData<Case, string, int?> Cases => new()
    {
        { new Case("model"), "A+", 93 },
        { new Case("model without HSTS", Hsts: null), "A-", 93 },
        { new Case("HSTS of 30 days", Hsts: 30 * 86400), "A-", 93 },
        { new Case("HSTS of exactly 180 days", Hsts: 180 * 86400), "A+", 93 },
        { new Case("RSA-4096, P-384 only, 256-bit suites", Suites: [(Tls12, [0xC030]), (Tls13, [0x1302])], Ephemeral: 7680, KeyBits: 4096), "A+", 100 },
        { new Case("ECDSA P-256 certificate counts as 3072 bits", KeyType: "ECDSA", KeyBits: 256), "A+", 93 },
        { new Case("no TLS 1.3", Versions: new(Tls12), Suites: [(Tls12, ModelTls12)]), "A-", 93 },
        { new Case("TLS 1.3 only", Versions: new(Tls13), Suites: [(Tls13, ModelTls13)], SecureRenegotiation: null), "A+", 93 },
        { new Case("TLS 1.0 and 1.1", Versions: new(Tls10, Tls11, Tls12, Tls13),
            Suites: [(Tls10, [0xC013]), (Tls11, [0xC013]), (Tls12, ModelTls12), (Tls13, ModelTls13)]), "B", 92 },
        { new Case("no TLS 1.2 or 1.3", Versions: new(Tls10), Suites: [(Tls10, [0xC013, 0xC014])]), "C", null },
        { new Case("SSLv3 without CBC", Versions: new(Ssl3, Tls12, Tls13), Suites: [(Ssl3, [0x0005]), (Tls12, ModelTls12), (Tls13, ModelTls13)]), "B", null },
        { new Case("SSLv3 with CBC (POODLE)", Versions: new(Ssl3, Tls12, Tls13), Suites: [(Ssl3, [0x002F]), (Tls12, ModelTls12), (Tls13, ModelTls13)]), "C", null },
        { new Case("SSLv3 is the best protocol", Versions: new(Ssl3), Suites: [(Ssl3, [0x002F])]), "F", null },
        { new Case("SSLv2", Versions: new(Ssl2, Tls12, Tls13)), "F", null },
        { new Case("RC4 with TLS 1.2", ExtraTls12: [0x0005]), "C", null },
        { new Case("RC4 only with TLS 1.0", Versions: new(Tls10, Tls12, Tls13), Suites: [(Tls10, [0x0005]), (Tls12, ModelTls12), (Tls13, ModelTls13)]), "B", null },
        { new Case("3DES with TLS 1.2 (SWEET32)", ExtraTls12: [0x000A]), "C", null },
        { new Case("export suite (FREAK)", ExtraTls12: [0x0003]), "F", null },
        { new Case("DES (56 bits)", ExtraTls12: [0x0009]), "F", null },
        { new Case("NULL cipher: cipher strength (100 + 0) / 2, capped at F", ExtraTls12: [0x0002]), "F", 77 },
        { new Case("anonymous key exchange zeroes the score", ExtraTls12: [0xC018]), "F", 0 },
        { new Case("no forward secrecy", Versions: new(Tls12), Suites: [(Tls12, [0x009C, 0x009D])]), "B", null },
        { new Case("no AEAD", Versions: new(Tls12), Suites: [(Tls12, [0xC013, 0xC014])]), "B", null },
        { new Case("DH 1024 (Logjam territory)", Ephemeral: 1024), "B", null },
        { new Case("DH 512", Ephemeral: 512), "F", null },
        { new Case("RSA-1024 certificate", KeyBits: 1024), "B", null },
        { new Case("TLS compression (CRIME)", Compression: true), "C", null },
        { new Case("no secure renegotiation is a warning", Versions: new(Tls12, Tls13), SecureRenegotiation: false), "A-", 93 },
        { new Case("untrusted", Trusted: false), "T", 93 },
        { new Case("SHA-1 signature", Signature: "sha1WithRSAEncryption"), "T", 93 },
        { new Case("MD5 signature", Signature: "md5WithRSAEncryption"), "F", null },
        { new Case("name mismatch", NameMatches: false), "M", 93 },
        { new Case("untrusted beats mismatch", Trusted: false, NameMatches: false), "T", 93 },
        { new Case("missing intermediate only", Trusted: false, MissingIntermediateOnly: true), "B", 93 },
        { new Case("mismatch beats a cap", NameMatches: false, Versions: new(Tls10, Tls12, Tls13)), "M", null },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Grade_Rule_GivesLetter(Case c, string letter, int? score)
    {
        var versions = (c.Versions?.Codes ?? [Tls12, Tls13]).Select(v => (TlsVersion)v).ToList();
        var suites = (c.Suites ?? [(Tls12, [.. ModelTls12, .. c.ExtraTls12 ?? []]), (Tls13, ModelTls13)])
            .Where(s => versions.Contains((TlsVersion)s.Version))
            .ToDictionary(s => (TlsVersion)s.Version, s => (IReadOnlyList<CipherSuite>)s.Suites.Select(CipherSuiteTable.Find).ToList());
        var all = new[] { TlsVersion.Ssl2, TlsVersion.Ssl3, TlsVersion.Tls10, TlsVersion.Tls11, TlsVersion.Tls12, TlsVersion.Tls13 };
        var probe = new TlsProbeResult(
            all.Select(v => new ProtocolSupport(v, versions.Contains(v))).ToList(),
            suites, false, ["x25519"], c.Ephemeral, c.SecureRenegotiation, c.Compression, true, false);
        var leaf = new ServedCertificate("CN=app.test", "CN=CA", DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(89),
            c.KeyType, c.KeyBits, c.Signature, ["app.test"], "00", false);
        var cert = new CertificateReport([leaf], true, !c.MissingIntermediateOnly, c.Trusted, c.Trusted ? null : "test", c.NameMatches)
        {
            MissingIntermediateOnly = c.MissingIntermediateOnly,
            ExpectedName = "app.test",
        };

        var grade = SslLabsGrader.Grade(probe, cert, c.Hsts);

        Assert.True(letter == grade.Letter, $"{c.Name}: expected {letter}, got {grade.Letter}\n{string.Join("\n", grade.Reasons)}");
        // Every A+ says why in its reasons, and no other letter claims it.
        Assert.Equal(letter == "A+", grade.Reasons.Any(r => r.StartsWith("A+:", StringComparison.Ordinal)));
        if (score is { } expected)
        {
            Assert.Equal(expected, grade.Score);
        }
    }

    [Theory]
    [InlineData(511, 20)]
    [InlineData(512, 40)]
    [InlineData(1023, 40)]
    [InlineData(1024, 80)]
    [InlineData(2048, 90)]
    [InlineData(3072, 90)]
    [InlineData(4096, 100)]
    public void KeyExchangeScore_Bits_FollowsTheGuideTable(int bits, int score) => Assert.Equal(score, SslLabsGrader.KeyExchangeScore(bits));

    [Theory]
    [InlineData(0, 0)]
    [InlineData(56, 20)]
    [InlineData(112, 20)]
    [InlineData(128, 80)]
    [InlineData(256, 100)]
    public void CipherScore_Bits_FollowsTheGuideTable(int bits, int score) => Assert.Equal(score, SslLabsGrader.CipherScore(bits));

    [Fact]
    public void Grade_NoCertificate_StillGradesTheProtocol()
    {
        var probe = new TlsProbeResult([new ProtocolSupport(TlsVersion.Tls13, true)],
            new Dictionary<TlsVersion, IReadOnlyList<CipherSuite>> { [TlsVersion.Tls13] = [CipherSuiteTable.Find(0x1301)] }, null, ["x25519"], 3072, null, null, null, null);

        var grade = SslLabsGrader.Grade(probe, null, TwoYears);

        Assert.Equal(("A", 89), (grade.Letter, grade.Score)); // 0.3 × 100 + 0.3 × 90 + 0.4 × 80; no certificate: A, never A+
    }
}
