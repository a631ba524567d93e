using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Portcullis.Configuration;
using Portcullis.Hardening;
using Portcullis.Proxy;
using Portcullis.Sites;
using Portcullis.Tls;

namespace Portcullis.Hosting;

/// <summary>
/// Turns a validated <see cref="GatewayConfig"/> into a runnable <see cref="GatewaySnapshot"/>: loads or creates
/// certificates, builds TLS options, routes and upstream pools. Anything that fails here (an unreadable key, a
/// data_dir that cannot be written) is returned as errors and the running generation stays.
/// </summary>
internal sealed class GatewaySnapshotBuilder(UpstreamRegistry upstreams, HttpMessageInvoker client, TimeProvider time, ILoggerFactory loggers, Firewall.FirewallRuleSets ruleSets)
{
    public (GatewaySnapshot? Snapshot, IReadOnlyList<string> Errors) Build(GatewayConfig config)
    {
        var errors = new List<string>();
        var selfSigned = new SelfSignedCertificates(config.DataDir, time);
        var sites = new List<Site>();
        foreach (var siteConfig in config.Sites)
        {
            try
            {
                sites.Add(BuildSite(config, siteConfig, selfSigned));
            }
            catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException)
            {
                errors.Add($"site '{siteConfig.Name}': cannot load its certificate: {ex.Message}");
            }
            catch (Waf.Rules.RuleLoadException ex)
            {
                errors.AddRange(ex.Errors.Select(e => $"site '{siteConfig.Name}': WAF rules: {e}"));
            }
        }
        if (errors.Count > 0)
        {
            return (null, errors);
        }
        var checks = sites.SelectMany(s => s.Routes).SelectMany(r => r.Pool.Upstreams.Select(u => (u, r.Config.HealthCheck)));
        var checker = new ActiveHealthChecker(checks, client, time, loggers.CreateLogger<ActiveHealthChecker>());
        var defaultSite = sites.First(s => s.Config == config.DefaultSite);
        return (new GatewaySnapshot(config, sites, defaultSite, checker), errors);
    }

    private Site BuildSite(GatewayConfig config, SiteConfig site, SelfSignedCertificates selfSigned)
    {
        var chain = site.Tls.Acme ? AcmeOrTemporaryChain(config, site, selfSigned)
            : site.Tls.SelfSigned ? selfSigned.GetOrCreate(site.Name, site.Hosts)
            : CertificateFiles.LoadChain(site.Tls.CertPath!, site.Tls.KeyPath!);
        var tls = TlsPolicy.CreateServerOptions(chain, config.Tls.Profile);
        var routes = site.Routes.Select(r => new SiteRoute(
            r,
            new UpstreamPool(r.Upstreams.Select(upstreams.Create).ToList(), r.LoadBalancing),
            r.MaxBodySize ?? config.Limits.MaxBodySize)).ToList();
        return new Site(site, tls, routes, new ResponseHeaderPolicy(config.Headers, site.Headers)) { Firewall = BuildFirewall(config.Waf, site.Waf) };
    }

    /// <summary>
    /// The certificate the CA issued, from data_dir/certs/acme, while it is valid for the site's hosts; until the
    /// first one arrives (or when the hosts changed), a self-signed one so the site answers at all. The ACME manager
    /// orders and swaps in the real one.
    /// </summary>
    private X509Certificate2Collection AcmeOrTemporaryChain(GatewayConfig config, SiteConfig site, SelfSignedCertificates selfSigned)
    {
        var stored = new Acme.AcmeCertificateStore(config.DataDir).Load(site.Name);
        if (stored is not null && stored.IsUsableFor(site.Hosts, time.GetUtcNow()))
        {
            return stored.Chain;
        }
        stored?.Dispose();
        return selfSigned.GetOrCreate(site.Name, site.Hosts);
    }

    private Firewall.SiteFirewall? BuildFirewall(WafConfig waf, SiteWafConfig site) =>
        site.Mode == WafMode.Off ? null : new Firewall.SiteFirewall(site.Mode, ruleSets.Get(waf, site), waf, waf.CrsPath is not null);
}
