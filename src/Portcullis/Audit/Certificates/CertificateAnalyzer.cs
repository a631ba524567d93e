using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Portcullis.Audit.Certificates;

/// <summary>
/// Judges a served chain the way a browser would, but offline: order, completeness, trust against the system store
/// plus the extra roots (--ca) with downloads disabled (a missing intermediate must show as missing, not be fetched
/// from AIA), validity, key, signature algorithm and name.
/// </summary>
internal static class CertificateAnalyzer
{
    private const string ServerAuth = "1.3.6.1.5.5.7.3.1";

    public static CertificateReport Analyze(IReadOnlyList<X509Certificate2> served, string expectedName, X509Certificate2Collection extraRoots, DateTimeOffset now)
    {
        ArgumentOutOfRangeException.ThrowIfZero(served.Count);
        var leaf = served[0];
        var inOrder = true;
        for (var i = 0; i + 1 < served.Count; i++)
        {
            inOrder &= served[i].IssuerName.RawData.AsSpan().SequenceEqual(served[i + 1].SubjectName.RawData);
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(SystemRoots.Value);
        chain.ChainPolicy.CustomTrustStore.AddRange(extraRoots);
        chain.ChainPolicy.ExtraStore.AddRange(served.Skip(1).ToArray());
        chain.ChainPolicy.DisableCertificateDownloads = true;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = now.UtcDateTime;
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid(ServerAuth));
        var trusted = chain.Build(leaf);
        var statuses = chain.ChainStatus.Select(s => s.Status).Aggregate(X509ChainStatusFlags.NoError, (a, b) => a | b);
        var complete = !statuses.HasFlag(X509ChainStatusFlags.PartialChain);

        var problems = new List<string>();
        if (now > leaf.NotAfter)
        {
            problems.Add($"expired on {leaf.NotAfter.ToUniversalTime():yyyy-MM-dd}");
        }
        else if (now < leaf.NotBefore)
        {
            problems.Add($"not valid before {leaf.NotBefore.ToUniversalTime():yyyy-MM-dd}");
        }
        else if (statuses.HasFlag(X509ChainStatusFlags.NotTimeValid))
        {
            problems.Add("a certificate in the chain is outside its validity period");
        }
        var selfSignedLeaf = IsSelfSigned(leaf);
        if (statuses.HasFlag(X509ChainStatusFlags.UntrustedRoot))
        {
            problems.Add(selfSignedLeaf ? "self-signed" : $"issued by an untrusted root ({chain.ChainElements[^1].Certificate.Subject})");
        }
        if (!complete)
        {
            problems.Add($"incomplete chain: the issuer \"{served[^1].Issuer}\" is neither served nor trusted");
        }
        if (statuses.HasFlag(X509ChainStatusFlags.NotSignatureValid))
        {
            problems.Add("a signature in the chain does not verify");
        }
        if (statuses.HasFlag(X509ChainStatusFlags.NotValidForUsage))
        {
            problems.Add("not valid for server authentication (extended key usage)");
        }
        var known = X509ChainStatusFlags.NotTimeValid | X509ChainStatusFlags.UntrustedRoot | X509ChainStatusFlags.PartialChain
            | X509ChainStatusFlags.NotSignatureValid | X509ChainStatusFlags.NotValidForUsage;
        problems.AddRange(chain.ChainStatus.Where(s => (s.Status & ~known) != 0).Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct());
        if (problems.Count == 0 && !trusted)
        {
            problems.Add("the chain does not validate");
        }
        trusted &= problems.Count == 0;

        var chainOut = served.Select((c, i) => Describe(c, includeNames: i == 0)).ToList();
        var san = leaf.Extensions.OfType<X509SubjectAlternativeNameExtension>().FirstOrDefault();
        var nameMatches = HostNameMatcher.Matches(
            san?.EnumerateDnsNames().ToList() ?? [],
            san?.EnumerateIPAddresses().ToList() ?? [],
            leaf.GetNameInfo(X509NameType.SimpleName, forIssuer: false),
            expectedName);
        return new CertificateReport(chainOut, inOrder, complete, trusted, trusted ? null : string.Join("; ", problems), nameMatches)
        {
            MissingIntermediateOnly = !complete && problems.Count == 1,
            ExpectedName = expectedName,
            DaysLeft = (int)Math.Floor((leaf.NotAfter.ToUniversalTime() - now.UtcDateTime).TotalDays),
        };
    }

    private static ServedCertificate Describe(X509Certificate2 certificate, bool includeNames)
    {
        var (keyType, bits) = KeyOf(certificate);
        var san = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().FirstOrDefault();
        IReadOnlyList<string> names = includeNames && san is not null
            ? [.. san.EnumerateDnsNames(), .. san.EnumerateIPAddresses().Select(a => a.ToString())]
            : [];
        return new ServedCertificate(
            certificate.Subject,
            certificate.Issuer,
            certificate.NotBefore.ToUniversalTime(),
            certificate.NotAfter.ToUniversalTime(),
            keyType,
            bits,
            SignatureName(certificate.SignatureAlgorithm),
            names,
            certificate.GetCertHashString(HashAlgorithmName.SHA256),
            IsSelfSigned(certificate));
    }

    private static bool IsSelfSigned(X509Certificate2 certificate) =>
        certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData);

    private static (string Type, int Bits) KeyOf(X509Certificate2 certificate)
    {
        switch (certificate.PublicKey.Oid.Value)
        {
            case "1.2.840.113549.1.1.1":
                using (var rsa = certificate.GetRSAPublicKey())
                {
                    return ("RSA", rsa?.KeySize ?? 0);
                }
            case "1.2.840.10045.2.1":
                using (var ec = certificate.GetECDsaPublicKey())
                {
                    return ("ECDSA", ec?.KeySize ?? 0);
                }
            case "1.3.101.112":
                return ("EdDSA", 256); // Ed25519 (RFC 8410)
            case "1.3.101.113":
                return ("EdDSA", 456); // Ed448
            case "1.2.840.10040.4.1":
                return ("DSA", certificate.PublicKey.EncodedKeyValue.RawData.Length * 8);
            default:
                return (certificate.PublicKey.Oid.FriendlyName ?? certificate.PublicKey.Oid.Value ?? "unknown", 0);
        }
    }

    /// <summary>OpenSSL's names for signature algorithms (what sslscan and testssl print), from the OID (RFC 4055, RFC 5758, RFC 8410).</summary>
    internal static string SignatureName(Oid algorithm) => algorithm.Value switch
    {
        "1.2.840.113549.1.1.2" => "md2WithRSAEncryption",
        "1.2.840.113549.1.1.4" => "md5WithRSAEncryption",
        "1.2.840.113549.1.1.5" => "sha1WithRSAEncryption",
        "1.2.840.113549.1.1.11" => "sha256WithRSAEncryption",
        "1.2.840.113549.1.1.12" => "sha384WithRSAEncryption",
        "1.2.840.113549.1.1.13" => "sha512WithRSAEncryption",
        "1.2.840.113549.1.1.10" => "rsassaPss",
        "1.2.840.10045.4.1" => "ecdsa-with-SHA1",
        "1.2.840.10045.4.3.2" => "ecdsa-with-SHA256",
        "1.2.840.10045.4.3.3" => "ecdsa-with-SHA384",
        "1.2.840.10045.4.3.4" => "ecdsa-with-SHA512",
        "1.2.840.10040.4.3" => "dsaWithSHA1",
        "1.3.101.112" => "ED25519",
        "1.3.101.113" => "ED448",
        _ => algorithm.FriendlyName ?? algorithm.Value ?? "unknown",
    };

    /// <summary>The system trust store (on Debian /etc/ssl/certs), read once per process.</summary>
    private static readonly Lazy<X509Certificate2Collection> SystemRoots = new(() =>
    {
        using var store = new X509Store(StoreName.Root, StoreLocation.LocalMachine);
        store.Open(OpenFlags.ReadOnly | OpenFlags.OpenExistingOnly);
        return store.Certificates;
    });
}
