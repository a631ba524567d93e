using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using Portcullis.Tls;
using YamlDotNet.RepresentationModel;

namespace Portcullis.Configuration;

/// <summary>Reads <c>sites:</c>, checking names and hosts for duplicates across sites and the certificate files.</summary>
internal static class SiteReader
{
    public static IReadOnlyList<SiteConfig> ReadAll(YamlNode? node, string baseDir, SiteDefaults defaults, ConfigErrorList errors)
    {
        var sites = new List<SiteConfig>();
        if (node is null || YamlValues.Sequence(node, "sites", errors) is not { } items)
        {
            return sites;
        }
        if (items.Count == 0)
        {
            errors.Add(node, "sites: the list is empty; add at least one site with name, hosts and routes.");
        }
        var names = new Dictionary<string, YamlNode>(StringComparer.OrdinalIgnoreCase);
        var hosts = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        YamlNode? firstDefault = null;
        foreach (var item in items)
        {
            if (YamlValues.Map(item, "sites[]", errors) is not { } map)
            {
                continue;
            }
            var site = Read(map, baseDir, defaults, names, hosts);
            if (site is null)
            {
                continue;
            }
            if (site.IsDefault && firstDefault is not null)
            {
                errors.Add(item, $"site '{site.Name}': only one site can be the default; the site at line {firstDefault.Start.Line} already is.");
            }
            firstDefault ??= site.IsDefault ? item : null;
            sites.Add(site);
        }
        return sites;
    }

    private static SiteConfig? Read(YamlMap map, string baseDir, SiteDefaults defaults, Dictionary<string, YamlNode> names, Dictionary<string, string> hostOwners)
    {
        var errors = map.Errors;
        var nameNode = map.Required("name", "give the site a short name like 'shop'.");
        var name = map.String("name") ?? "";
        var what = $"site '{name}'";
        if (nameNode is not null && !IsName(name))
        {
            errors.Add(nameNode, $"sites[].name: '{name}' is not a valid name; use letters, digits, '-' and '_' (up to 64).");
        }
        else if (nameNode is not null && !names.TryAdd(name, nameNode))
        {
            errors.Add(nameNode, $"{what}: duplicate site name; the site at line {names[name].Start.Line} already uses it.");
        }
        var hosts = new List<string>();
        var hostsNode = map.Required("hosts", "list the host names this site answers for, like [shop.example.com].");
        foreach (var item in hostsNode is null ? [] : YamlValues.Sequence(hostsNode, $"{what}.hosts", errors) ?? [])
        {
            var host = YamlValues.String(item, $"{what}.hosts", errors);
            if (host is null)
            {
                continue;
            }
            var normalized = NormalizeHost(host);
            if (normalized is null)
            {
                errors.Add(item, $"{what}.hosts: '{host}' is not a host name; write it like shop.example.com or *.example.com (no scheme, port or path).");
            }
            else if (!hostOwners.TryAdd(normalized, name))
            {
                errors.Add(item, $"{what}.hosts: '{normalized}' is already served by site '{hostOwners[normalized]}'; a host belongs to one site.");
            }
            else
            {
                hosts.Add(normalized);
            }
        }
        if (hostsNode is not null && hosts.Count == 0 && errors.Count == 0)
        {
            errors.Add(hostsNode, $"{what}.hosts: the list is empty; add at least one host name.");
        }
        var isDefault = map.Bool("default") ?? false;
        var tls = ReadTls(map.Map("tls"), what, baseDir, defaults, hosts);
        var headers = SectionReader.Headers(map.Map("headers"));
        var routes = RouteReader.ReadAll(map.Required("routes", "add at least one route, like - { path: /, upstreams: [\"http://127.0.0.1:3000\"] }."), what, errors);
        var siteWaf = WafReader.ReadSite(map.Map("waf"), what, defaults.Waf, baseDir);
        var challenge = ChallengeReader.ReadSite(map.Get("challenge"), what, errors);
        var rateLimit = map.Get("rate_limit") is { } rate ? ClientLimitsReader.RateLimit(rate, $"{what}.rate_limit", errors) : null;
        map.RejectUnknownKeys();
        return new SiteConfig { Name = name, Hosts = hosts, IsDefault = isDefault, Tls = tls, Headers = headers, Routes = routes, Waf = siteWaf, Challenge = challenge, RateLimit = rateLimit };
    }

    private static SiteTlsConfig ReadTls(YamlMap? map, string what, string baseDir, SiteDefaults defaults, IReadOnlyList<string> hosts)
    {
        if (map is null)
        {
            return new SiteTlsConfig();
        }
        var errors = map.Errors;
        var certNode = map.Get("cert");
        var keyNode = map.Get("key");
        var cert = map.String("cert") is { Length: > 0 } c ? Path.GetFullPath(c, baseDir) : null;
        var key = map.String("key") is { Length: > 0 } k ? Path.GetFullPath(k, baseDir) : null;
        var acme = map.Bool("acme") ?? false;
        map.RejectUnknownKeys();
        if (acme)
        {
            CheckAcmeSite(map.Get("acme")!, what, cert is not null || key is not null, defaults, hosts, errors);
            return new SiteTlsConfig { Acme = true };
        }
        if ((cert is null) != (key is null))
        {
            errors.Add(map.Node, $"{what}.tls: give both cert and key (PEM files), or neither for a self-signed certificate.");
            return new SiteTlsConfig();
        }
        if (cert is null || key is null)
        {
            return new SiteTlsConfig();
        }
        var ok = true;
        if (!File.Exists(cert))
        {
            errors.Add(certNode!, $"{what}.tls.cert: file '{cert}' does not exist; give the path of a PEM certificate (leaf first, then intermediates).");
            ok = false;
        }
        if (!File.Exists(key))
        {
            errors.Add(keyNode!, $"{what}.tls.key: file '{key}' does not exist; give the path of the PEM private key.");
            ok = false;
        }
        if (ok)
        {
            try
            {
                foreach (var loaded in CertificateFiles.LoadChain(cert, key))
                {
                    loaded.Dispose();
                }
            }
            catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
            {
                errors.Add(certNode!, $"{what}.tls: cannot use '{Path.GetFileName(cert)}' with '{Path.GetFileName(key)}': {ex.Message.TrimEnd('.')}. Check that both are PEM and that the key belongs to the certificate.");
            }
        }
        return new SiteTlsConfig { CertPath = cert, KeyPath = key };
    }

    private static void CheckAcmeSite(YamlNode node, string what, bool hasFiles, SiteDefaults defaults, IReadOnlyList<string> hosts, ConfigErrorList errors)
    {
        if (hasFiles)
        {
            errors.Add(node, $"{what}.tls: acme: true and cert/key files exclude each other; keep acme for certificates that renew themselves, or the files.");
        }
        if (hosts.FirstOrDefault(h => h.StartsWith('*')) is { } wildcard)
        {
            errors.Add(node, $"{what}.tls.acme: '{wildcard}' is a wildcard; a CA validates wildcards only over DNS-01, which this gateway does not answer. List the names, or give the wildcard a cert and key file in its own site.");
        }
        if (hosts.FirstOrDefault(h => IPAddress.TryParse(h, out _)) is { } ip)
        {
            errors.Add(node, $"{what}.tls.acme: '{ip}' is an IP address; public CAs issue for host names. Use a host name, or cert and key files.");
        }
        if (defaults.Tls.Acme.Challenge == AcmeChallengeKind.Http01 && defaults.Listen.Http is null)
        {
            errors.Add(node, $"{what}.tls.acme: the http-01 challenge is answered on the plain-HTTP listener, and listen.http is off. Set listen.http (port 80 for a public CA), or tls.acme.challenge: tls-alpn-01.");
        }
    }

    private static bool IsName(string name) =>
        name.Length is > 0 and <= 64 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    /// <summary>Lowercase ASCII (IDN converted to punycode) host, "*.suffix" wildcard, or an IP literal; null when invalid.</summary>
    internal static string? NormalizeHost(string host)
    {
        if (IPAddress.TryParse(host.Trim('[', ']'), out var ip))
        {
            return ip.ToString();
        }
        var wildcard = host.StartsWith("*.", StringComparison.Ordinal);
        var rest = wildcard ? host[2..] : host;
        try
        {
            rest = new IdnMapping().GetAscii(rest.TrimEnd('.')).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            return null;
        }
        var labels = rest.Split('.');
        var valid = rest.Length <= 253 && labels.All(l => l.Length is > 0 and <= 63 && !l.StartsWith('-') && !l.EndsWith('-') &&
                                                          l.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_'));
        return valid ? (wildcard ? "*." + rest : rest) : null;
    }
}
