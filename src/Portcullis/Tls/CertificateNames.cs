using System.Security.Cryptography.X509Certificates;

namespace Portcullis.Tls;

/// <summary>The names a certificate is good for, from its subjectAltName (RFC 6125: the CN is not consulted).</summary>
internal static class CertificateNames
{
    public static HashSet<string> Of(X509Certificate2 certificate)
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var san = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().FirstOrDefault();
        if (san is not null)
        {
            names.UnionWith(san.EnumerateDnsNames());
            names.UnionWith(san.EnumerateIPAddresses().Select(ip => ip.ToString()));
        }
        return names;
    }

    /// <summary>True when every host is listed literally (a wildcard entry does not count: we order exact names).</summary>
    public static bool Covers(X509Certificate2 certificate, IEnumerable<string> hosts)
    {
        var names = Of(certificate);
        return hosts.All(names.Contains);
    }
}
