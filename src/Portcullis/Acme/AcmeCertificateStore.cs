using System.Security.Cryptography;
using Portcullis.Tls;

namespace Portcullis.Acme;

/// <summary>
/// Certificates obtained over ACME, one pair of files per site in data_dir/certs/acme: SITE.crt (the chain as the CA
/// sent it, leaf first) and SITE.key (0600). Files are written before the certificate is served, so a restart finds
/// and reuses what is in service instead of ordering again (CAs rate-limit duplicate orders: Let's Encrypt allows 5
/// per week for the same names).
/// </summary>
internal sealed class AcmeCertificateStore(string dataDir)
{
    public string Directory { get; } = Path.Combine(dataDir, "certs", "acme");

    public string CertPath(string site) => Path.Combine(Directory, site + ".crt");

    public string KeyPath(string site) => Path.Combine(Directory, site + ".key");

    /// <summary>The stored certificate of the site, or null when there is none or the files cannot be used (then a new one is ordered).</summary>
    public StoredCertificate? Load(string site)
    {
        var certPath = CertPath(site);
        var keyPath = KeyPath(site);
        if (!File.Exists(certPath) || !File.Exists(keyPath))
        {
            return null;
        }
        try
        {
            return new StoredCertificate(CertificateFiles.LoadChain(certPath, keyPath));
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException)
        {
            // A key that does not match (a crash between the two renames) or a damaged file: order a new one.
            return null;
        }
    }

    /// <summary>Writes the key, then the chain; each atomically. Returns the stored certificate as loaded back from disk.</summary>
    public StoredCertificate Save(string site, string chainPem, string keyPem)
    {
        System.IO.Directory.CreateDirectory(Directory);
        AtomicFile.Write(KeyPath(site), keyPem, AtomicFile.PrivateMode);
        AtomicFile.Write(CertPath(site), chainPem, AtomicFile.PublicMode);
        return new StoredCertificate(CertificateFiles.LoadChain(CertPath(site), KeyPath(site)));
    }
}
