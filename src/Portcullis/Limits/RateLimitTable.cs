using Portcullis.Configuration;
using Portcullis.Hosting;
using Portcullis.Sites;

namespace Portcullis.Limits;

/// <summary>
/// Which <see cref="ClientRateLimiter"/> applies to each site and route of one config generation: the route's own
/// limit, else its site's, else the gateway-wide one (<c>off</c> at any level stops the inheritance). Routes and
/// sites that inherit share the limiter they inherit, so a site-wide limit counts all of the site's routes together.
/// </summary>
internal sealed class RateLimitTable
{
    private readonly Dictionary<object, ClientRateLimiter?> _byScope = new(ReferenceEqualityComparer.Instance);
    private readonly ClientRateLimiter? _global;

    /// <summary>
    /// Builds the table for <paramref name="snapshot"/>, reusing a limiter of <paramref name="previous"/> whose name
    /// and settings are unchanged, so a reload keeps the buckets of every limit it did not change.
    /// </summary>
    public RateLimitTable(GatewaySnapshot snapshot, RateLimitTable? previous)
    {
        Snapshot = snapshot;
        var old = previous?.Limiters.ToDictionary(l => l.Name, StringComparer.Ordinal) ?? [];
        var all = new List<ClientRateLimiter>();
        ClientRateLimiter? Make(string name, RateLimitConfig config)
        {
            if (!config.Enabled)
            {
                return null;
            }
            var limiter = old.TryGetValue(name, out var kept) && kept.Config == config ? kept : new ClientRateLimiter(name, config);
            all.Add(limiter);
            return limiter;
        }
        _global = Make("rate:global", snapshot.Config.ClientLimits.RateLimit);
        foreach (var site in snapshot.Sites)
        {
            var siteLimiter = site.Config.RateLimit is { } siteConfig ? Make($"rate:site:{site.Name}", siteConfig) : _global;
            _byScope[site] = siteLimiter;
            foreach (var route in site.Routes)
            {
                _byScope[route] = route.Config.RateLimit is { } routeConfig ? Make($"rate:route:{site.Name}:{route.Prefix}", routeConfig) : siteLimiter;
            }
        }
        Limiters = all;
    }

    public GatewaySnapshot Snapshot { get; }

    /// <summary>Every distinct limiter of this generation.</summary>
    public IReadOnlyList<ClientRateLimiter> Limiters { get; }

    /// <summary>The limiter for a request on <paramref name="route"/> of <paramref name="site"/>; null = not limited.</summary>
    public ClientRateLimiter? For(Site? site, SiteRoute? route)
    {
        if (route is not null && _byScope.TryGetValue(route, out var byRoute))
        {
            return byRoute;
        }
        return site is not null && _byScope.TryGetValue(site, out var bySite) ? bySite : _global;
    }
}
