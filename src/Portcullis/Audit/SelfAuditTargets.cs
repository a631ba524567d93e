using System.Net;
using Portcullis.Configuration;
using Portcullis.Tls;

namespace Portcullis.Audit;

/// <summary>
/// <c>portcullis audit --self</c>: one target per site of the gateway's config, as a browser would reach it: the
/// HTTPS listen address (a wildcard address becomes loopback), the site's first host name as SNI and Host, the
/// plain-HTTP listener for the redirect check, and, for self-signed sites, their certificate in data_dir as the
/// trusted root (nothing else in the config says which CA signed a site's certificate).
/// </summary>
internal static class SelfAuditTargets
{
    public static IReadOnlyList<(string Site, AuditTarget Target)> From(GatewayConfig config)
    {
        var https = config.Listen.Https;
        var address = Reachable(https.Address);
        var selfSigned = new SelfSignedCertificates(config.DataDir, TimeProvider.System);
        return [.. config.Sites.Select(site =>
        {
            var ca = site.Tls.SelfSigned && File.Exists(selfSigned.CertPath(site.Name)) ? selfSigned.CertPath(site.Name) : null;
            var target = new AuditTarget(HostName(site), https.Port, Address: address, CaFile: ca, HttpPort: config.Listen.Http?.Port ?? 0);
            return (site.Name, target);
        })];
    }

    /// <summary>The name to audit a site under: its first plain host name, else a wildcard's "www" name, else its first address.</summary>
    private static string HostName(SiteConfig site) =>
        site.Hosts.FirstOrDefault(h => !h.StartsWith("*.", StringComparison.Ordinal) && !IPAddress.TryParse(h, out _))
        ?? site.Hosts.Where(h => h.StartsWith("*.", StringComparison.Ordinal)).Select(h => "www" + h[1..]).FirstOrDefault()
        ?? site.Hosts[0];

    private static IPAddress Reachable(IPAddress listen) =>
        listen.Equals(IPAddress.Any) ? IPAddress.Loopback : listen.Equals(IPAddress.IPv6Any) ? IPAddress.IPv6Loopback : listen;
}
