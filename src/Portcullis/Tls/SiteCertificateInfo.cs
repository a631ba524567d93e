using System.Security.Cryptography;
using Portcullis.Configuration;

namespace Portcullis.Tls;

/// <summary>What certificate a site has on disk right now, read without creating or ordering anything.</summary>
internal sealed record SiteCertificateInfo(string Site, string Source, string Path, IReadOnlyList<string> Names, DateTimeOffset? NotAfter, string? Problem)
{
    public double? DaysLeft(DateTimeOffset now) => NotAfter is { } end ? (end - now).TotalDays : null;

    public static IReadOnlyList<SiteCertificateInfo> Read(GatewayConfig config) => [.. config.Sites.Select(site => Read(config, site))];

    private static SiteCertificateInfo Read(GatewayConfig config, SiteConfig site)
    {
        var acme = new Acme.AcmeCertificateStore(config.DataDir);
        var selfSigned = new SelfSignedCertificates(config.DataDir, TimeProvider.System);
        var (source, certPath, keyPath) = site.Tls switch
        {
            { Acme: true } => ("acme", acme.CertPath(site.Name), acme.KeyPath(site.Name)),
            { SelfSigned: true } => ("self-signed", selfSigned.CertPath(site.Name), selfSigned.KeyPath(site.Name)),
            _ => ("files", site.Tls.CertPath!, site.Tls.KeyPath!),
        };
        if (!File.Exists(certPath))
        {
            var problem = site.Tls.Acme ? "not issued yet (a temporary self-signed certificate is served until it is)" : "not created yet (made on first start)";
            return new SiteCertificateInfo(site.Name, source, certPath, [], null, problem);
        }
        try
        {
            var chain = CertificateFiles.LoadChain(certPath, keyPath);
            var leaf = chain[0];
            var names = CertificateNames.Of(leaf).Order(StringComparer.Ordinal).ToList();
            var missing = site.Hosts.Where(h => !names.Contains(h, StringComparer.OrdinalIgnoreCase) && !h.StartsWith('*')).ToList();
            var info = new SiteCertificateInfo(site.Name, source, certPath, names, new DateTimeOffset(leaf.NotAfter.ToUniversalTime(), TimeSpan.Zero),
                missing.Count > 0 ? $"does not name {string.Join(", ", missing)}" : null);
            foreach (var certificate in chain)
            {
                certificate.Dispose();
            }
            return info;
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException)
        {
            return new SiteCertificateInfo(site.Name, source, certPath, [], null, $"cannot be read: {ex.Message.TrimEnd('.')}");
        }
    }
}
