using System.Globalization;
using Portcullis.Audit.Tls;

namespace Portcullis.Audit.Certificates;

/// <summary>Findings about the served chain: trust (T), name (M), expiry, order, key and signature.</summary>
internal static class CertificateFindings
{
    /// <summary>Renew well before this (Let's Encrypt renews at 30 days left; Portcullis warns at 30/14/7/1).</summary>
    public const int ExpiryWarningDays = 30;

    public static List<AuditFinding> From(CertificateReport report)
    {
        var findings = new List<AuditFinding>();
        var leaf = report.Leaf;
        void Add(string id, FindingSeverity severity, string title, string why, string fix, string? portcullis = TlsFixes.PortcullisCertificate, string? nginx = TlsFixes.NginxCertificate) =>
            findings.Add(new AuditFinding(id, AuditArea.Certificate, severity, title, why, fix, portcullis, nginx));

        if (report.DaysLeft < 0)
        {
            Add("cert.expired", FindingSeverity.Critical, $"The certificate expired on {leaf.NotAfter:yyyy-MM-dd}",
                "Every client refuses the connection or trains its users to click through warnings (grade T).",
                "Renew the certificate; ACME renews it automatically.", TlsFixes.PortcullisAcme);
        }
        else if (leaf.NotBefore > DateTimeOffset.UtcNow)
        {
            Add("cert.not_yet_valid", FindingSeverity.Critical, $"The certificate is not valid before {leaf.NotBefore:yyyy-MM-dd}",
                "Clients refuse it until then (grade T); usually a wrong clock where it was issued.", "Serve a certificate that is valid now.");
        }
        else if (report.DaysLeft < ExpiryWarningDays)
        {
            Add("cert.expires_soon", FindingSeverity.Medium, $"The certificate expires in {report.DaysLeft.ToString(CultureInfo.InvariantCulture)} days",
                "Once it expires clients refuse the connection.", "Renew it now and automate renewal.", TlsFixes.PortcullisAcme);
        }
        if (leaf.SelfSigned && !report.Trusted)
        {
            Add("cert.self_signed", FindingSeverity.High, "The certificate is self-signed",
                "No client can tell it from an attacker's certificate; users learn to click through warnings (grade T).",
                "Serve a certificate from a public CA (or, for internal use, your own CA distributed to the clients).", TlsFixes.PortcullisAcme);
        }
        else if (report.MissingIntermediateOnly)
        {
            Add("cert.chain.incomplete", FindingSeverity.High, "The chain is incomplete: an intermediate certificate is missing",
                "Browsers that happen to cache the intermediate work, others (curl, Android apps, API clients) fail; SSL Labs caps the grade at B. " + report.TrustProblem,
                "Serve the leaf followed by every intermediate (\"fullchain\").");
        }
        else if (!report.Trusted)
        {
            Add("cert.untrusted", FindingSeverity.High, "The certificate is not trusted",
                $"Clients refuse it (grade T): {report.TrustProblem}.",
                "Serve a certificate that chains to a trusted root, with its intermediates.");
        }
        if (!report.NameMatches)
        {
            Add("cert.name_mismatch", FindingSeverity.High, $"The certificate does not cover {report.ExpectedName}",
                $"Clients refuse it (grade M). It names: {(leaf.Names.Count > 0 ? string.Join(", ", leaf.Names) : leaf.Subject)}.",
                "Serve a certificate whose subjectAltName lists this host name (RFC 6125).",
                "sites:\n  - name: app\n    hosts: [" + (report.ExpectedName ?? "app.example.com") + "]   # Portcullis picks the certificate by SNI from hosts\n    tls: { acme: true }",
                "server_name " + (report.ExpectedName ?? "app.example.com") + ";\n" + TlsFixes.NginxCertificate);
        }
        if (!report.InOrder)
        {
            Add("cert.chain.order", FindingSeverity.Low, "The chain is not in order",
                "TLS 1.2 requires each certificate to certify the one before it (RFC 5246 §7.4.2); strict clients fail.",
                "Put the leaf first, then each issuer in turn.");
        }
        if (report.Md5Signature)
        {
            Add("cert.signature.md5", FindingSeverity.Critical, $"The certificate is signed with {leaf.SignatureAlgorithm}",
                "MD5 collisions let an attacker forge certificates (2008 rogue CA); grade F.", "Reissue with SHA-256.");
        }
        else if (report.Sha1Signature)
        {
            Add("cert.signature.sha1", FindingSeverity.High, $"The certificate is signed with {leaf.SignatureAlgorithm}",
                "SHA-1 collisions are practical (SHAttered 2017, chosen-prefix 2020); browsers reject such certificates (grade T).", "Reissue with SHA-256.");
        }
        if ((leaf.KeyType == "RSA" && leaf.KeyBits < 2048) || (leaf.KeyType == "ECDSA" && leaf.KeyBits < 256))
        {
            Add("cert.key.weak", leaf.KeyBits < 1024 && leaf.KeyType == "RSA" ? FindingSeverity.Critical : FindingSeverity.High,
                $"The certificate key is {leaf.KeyType} {leaf.KeyBits.ToString(CultureInfo.InvariantCulture)} bits",
                "Keys below RSA-2048 / P-256 are within reach of well-funded attackers and rejected by CAs since 2013.",
                "Reissue with ECDSA P-256 or RSA-2048+; Portcullis' ACME client uses ECDSA P-256.", TlsFixes.PortcullisAcme);
        }
        return findings;
    }
}
