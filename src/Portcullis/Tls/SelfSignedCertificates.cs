using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Portcullis.Tls;

/// <summary>
/// Self-signed ECDSA P-256 certificates for sites without certificate files. Created on first start and kept in
/// data_dir/certs/self-signed/ (key file mode 0600), reused while valid for the site's hosts, so browsers and
/// pinned test clients see the same certificate across restarts.
/// </summary>
internal sealed class SelfSignedCertificates(string dataDir, TimeProvider time)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromDays(365);
    private static readonly TimeSpan RenewBefore = TimeSpan.FromDays(30);

    public string Directory { get; } = Path.Combine(dataDir, "certs", "self-signed");

    public string CertPath(string site) => Path.Combine(Directory, site + ".crt");

    public string KeyPath(string site) => Path.Combine(Directory, site + ".key");

    /// <summary>Returns the site's certificate (with key), creating or replacing it when missing, expiring or not covering the hosts.</summary>
    public X509Certificate2Collection GetOrCreate(string site, IReadOnlyList<string> hosts)
    {
        var certPath = CertPath(site);
        var keyPath = KeyPath(site);
        if (File.Exists(certPath) && File.Exists(keyPath))
        {
            try
            {
                var existing = CertificateFiles.LoadChain(certPath, keyPath);
                if (IsUsable(existing[0], hosts))
                {
                    return existing;
                }
                existing[0].Dispose();
            }
            catch (CryptographicException)
            {
                // Unreadable or mismatched files: replace them below.
            }
        }
        Create(site, hosts, certPath, keyPath);
        return CertificateFiles.LoadChain(certPath, keyPath);
    }

    private bool IsUsable(X509Certificate2 certificate, IReadOnlyList<string> hosts)
    {
        var now = time.GetUtcNow();
        if (certificate.NotAfter.ToUniversalTime() - now < RenewBefore || certificate.NotBefore.ToUniversalTime() > now)
        {
            return false;
        }
        return CertificateNames.Covers(certificate, hosts);
    }

    private void Create(string site, IReadOnlyList<string> hosts, string certPath, string keyPath)
    {
        System.IO.Directory.CreateDirectory(Directory);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var subjectName = hosts.FirstOrDefault(h => !h.StartsWith('*')) ?? "portcullis.local";
        var request = new CertificateRequest($"CN={subjectName}, O=Portcullis self-signed", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        foreach (var host in hosts)
        {
            if (System.Net.IPAddress.TryParse(host, out var ip))
            {
                san.AddIpAddress(ip);
            }
            else
            {
                san.AddDnsName(host);
            }
        }
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = time.GetUtcNow();
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.Add(Lifetime));
        AtomicFile.Write(keyPath, key.ExportPkcs8PrivateKeyPem(), AtomicFile.PrivateMode);
        AtomicFile.Write(certPath, certificate.ExportCertificatePem(), AtomicFile.PublicMode);
        _ = site;
    }
}
