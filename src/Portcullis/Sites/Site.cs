using System.Net.Security;
using Microsoft.AspNetCore.Http;
using Portcullis.Configuration;
using Portcullis.Hardening;

namespace Portcullis.Sites;

/// <summary>A site at run time: its TLS options (certificate), routes (longest prefix first) and header policy.</summary>
internal sealed class Site(SiteConfig config, SslServerAuthenticationOptions tlsOptions, IReadOnlyList<SiteRoute> routes, ResponseHeaderPolicy headers)
{
    private readonly SiteRoute[] _routes = [.. routes.OrderByDescending(r => r.Prefix.Length)];

    public string Name => Config.Name;

    public SiteConfig Config { get; } = config;

    private volatile SslServerAuthenticationOptions _tlsOptions = tlsOptions;

    /// <summary>What handshakes for this site's names get; replaced when an ACME certificate is issued or renewed.</summary>
    public SslServerAuthenticationOptions TlsOptions => _tlsOptions;

    /// <summary>
    /// Serves a new certificate from the next handshake on. Connections already open keep the one they negotiated
    /// (TLS never re-sends it), so nothing is dropped.
    /// </summary>
    public void ReplaceTlsOptions(SslServerAuthenticationOptions options) => _tlsOptions = options;

    public IReadOnlyList<SiteRoute> Routes => _routes;

    public ResponseHeaderPolicy Headers { get; } = headers;

    /// <summary>The site's firewall, null when its waf mode is off.</summary>
    public Firewall.SiteFirewall? Firewall { get; init; }

    public SiteRoute? FindRoute(PathString path)
    {
        foreach (var route in _routes)
        {
            if (route.Matches(path))
            {
                return route;
            }
        }
        return null;
    }
}
