using System.Security.Cryptography.X509Certificates;
using Portcullis.Tls;

namespace Portcullis.Acme;

/// <summary>A certificate chain with the leaf's private key, as kept in data_dir/certs/acme.</summary>
internal sealed class StoredCertificate(X509Certificate2Collection chain) : IDisposable
{
    public X509Certificate2Collection Chain { get; } = chain;

    public X509Certificate2 Leaf => Chain[0];

    public DateTimeOffset NotBefore { get; } = new(chain[0].NotBefore.ToUniversalTime(), TimeSpan.Zero);

    public DateTimeOffset NotAfter { get; } = new(chain[0].NotAfter.ToUniversalTime(), TimeSpan.Zero);

    public TimeSpan Lifetime => NotAfter - NotBefore;

    /// <summary>How far in the future NotBefore may be and still count: this machine's clock may lag the CA's a little.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(10);

    public bool IsCurrent(DateTimeOffset now) => NotBefore - ClockSkew <= now && now < NotAfter;

    /// <summary>Still in its validity period and names every host: worth serving and keeping across a restart.</summary>
    public bool IsUsableFor(IEnumerable<string> hosts, DateTimeOffset now) => IsCurrent(now) && CertificateNames.Covers(Leaf, hosts);

    public TimeSpan Remaining(DateTimeOffset now) => NotAfter - now;

    /// <summary>Releases the certificates; only for a copy that is not handed to a TLS context.</summary>
    public void Dispose()
    {
        foreach (var certificate in Chain)
        {
            certificate.Dispose();
        }
    }
}
