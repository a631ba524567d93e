using Portcullis.Configuration;
using Portcullis.Proxy;
using Portcullis.Sites;

namespace Portcullis.Hosting;

/// <summary>
/// One generation of the running configuration: the sites with their certificates, routes and upstream pools.
/// Immutable; a reload builds a whole new one and swaps it in (<see cref="GatewayState"/>). Requests keep the
/// generation they started with, so requests in flight finish on the old one.
/// </summary>
internal sealed class GatewaySnapshot(GatewayConfig config, IReadOnlyList<Site> sites, Site defaultSite, ActiveHealthChecker healthChecker)
    : IAsyncDisposable
{
    private readonly HostTable<Site> _hosts = new(sites.SelectMany(s => s.Config.Hosts.Select(h => (h, s))));

    public GatewayConfig Config { get; } = config;

    public IReadOnlyList<Site> Sites { get; } = sites;

    public Site DefaultSite { get; } = defaultSite;

    public ActiveHealthChecker HealthChecker { get; } = healthChecker;

    public ClientAddressResolver ClientAddresses { get; } = new(config.TrustedProxies);

    /// <summary>A site gets its certificate over ACME with tls-alpn-01: handshakes must be checked for ALPN acme-tls/1.</summary>
    public bool UsesTlsAlpnChallenge { get; } =
        config.Tls.Acme.Challenge == AcmeChallengeKind.TlsAlpn01 && sites.Any(s => s.Config.Tls.Acme);

    /// <summary>The site that lists this host name (exact or wildcard), or null.</summary>
    public Site? FindSite(ReadOnlySpan<char> host) => _hosts.Find(host);

    public ValueTask DisposeAsync() => HealthChecker.DisposeAsync();
}
