using YamlDotNet.RepresentationModel;

namespace Portcullis.Configuration;

/// <summary>Reads a site's <c>routes:</c> with their upstreams, balancing, health checks and timeouts.</summary>
internal static class RouteReader
{
    public static IReadOnlyList<RouteConfig> ReadAll(YamlNode? node, string site, ConfigErrorList errors)
    {
        var routes = new List<RouteConfig>();
        if (node is null || YamlValues.Sequence(node, $"{site}.routes", errors) is not { } items)
        {
            return routes;
        }
        if (items.Count == 0)
        {
            errors.Add(node, $"{site}.routes: the list is empty; add at least one route.");
        }
        // Matching ignores case, so "/api" and "/API" are the same route.
        var paths = new Dictionary<string, YamlNode>(StringComparer.OrdinalIgnoreCase);
        foreach (var item in items)
        {
            if (YamlValues.Map(item, $"{site}.routes[]", errors) is { } map && Read(map, site, paths) is { } route)
            {
                routes.Add(route);
            }
        }
        return routes;
    }

    private static RouteConfig? Read(YamlMap map, string site, Dictionary<string, YamlNode> paths)
    {
        var errors = map.Errors;
        var pathNode = map.Required("path", "give the path prefix this route serves, like / or /api.");
        var path = map.String("path") ?? "/";
        var what = $"{site} route '{path}'";
        if (pathNode is not null)
        {
            if (!path.StartsWith('/') || path.Contains('?', StringComparison.Ordinal) || path.Contains('#', StringComparison.Ordinal) || path.Contains("//", StringComparison.Ordinal))
            {
                errors.Add(pathNode, $"{site}.routes[].path: '{path}' is not a path prefix; it must start with '/' and have no query, fragment or '//'.");
            }
            path = path.Length > 1 ? path.TrimEnd('/') : path;
            if (!paths.TryAdd(path, pathNode))
            {
                errors.Add(pathNode, $"{what}: duplicate path; the route at line {paths[path].Start.Line} already serves it.");
            }
        }
        var upstreams = new List<Uri>();
        var upstreamsNode = map.Required("upstreams", "list the applications' base URLs, like [\"http://127.0.0.1:3000\"].");
        foreach (var item in upstreamsNode is null ? [] : YamlValues.Sequence(upstreamsNode, $"{what}.upstreams", errors) ?? [])
        {
            var text = YamlValues.String(item, $"{what}.upstreams", errors);
            if (text is null)
            {
                continue;
            }
            if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.Host.Length > 0 &&
                uri.UserInfo.Length == 0 && uri.Query.Length == 0 && uri.Fragment.Length == 0)
            {
                upstreams.Add(uri);
            }
            else
            {
                errors.Add(item, $"{what}.upstreams: '{text}' is not an upstream URL; write it like http://127.0.0.1:3000 (http or https, no user, query or fragment).");
            }
        }
        if (upstreamsNode is not null && upstreams.Count == 0 && errors.Count == 0)
        {
            errors.Add(upstreamsNode, $"{what}.upstreams: the list is empty; add at least one upstream URL.");
        }
        var balancing = LoadBalancingPolicy.RoundRobin;
        if (map.Get("load_balancing") is { } lbNode)
        {
            switch (map.String("load_balancing"))
            {
                case "round_robin": break;
                case "least_requests": balancing = LoadBalancingPolicy.LeastRequests; break;
                case var other: errors.Add(lbNode, $"{what}.load_balancing: '{other}' is not a policy; use round_robin or least_requests."); break;
            }
        }
        var defaults = new RouteConfig { Path = path, Upstreams = upstreams, HealthCheck = new HealthCheckConfig() };
        var route = defaults with
        {
            LoadBalancing = balancing,
            HealthCheck = ReadHealthCheck(map.Map("health_check"), what),
            Timeout = map.Duration("timeout", TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(24)) ?? defaults.Timeout,
            MaxBodySize = map.Size("max_body_size", 0, long.MaxValue),
            ChallengeExempt = ChallengeReader.ReadRouteExempt(map, what),
            RateLimit = map.Get("rate_limit") is { } rate ? ClientLimitsReader.RateLimit(rate, $"{what}.rate_limit", errors) : null,
            UpstreamLimit = ClientLimitsReader.UpstreamLimit(map.Map("upstream_limit")),
        };
        map.RejectUnknownKeys();
        return route;
    }

    private static HealthCheckConfig ReadHealthCheck(YamlMap? map, string what)
    {
        var d = new HealthCheckConfig();
        if (map is null)
        {
            return d;
        }
        var path = map.String("path");
        if (path is null && (map.Get("interval") ?? map.Get("timeout")) is { } ignored)
        {
            map.Errors.Add(ignored, $"{what}.health_check: interval and timeout belong to the active check; add path (like /healthz), or remove them.");
        }
        if (path is not null && !path.StartsWith('/'))
        {
            map.Errors.Add(map.Get("path")!, $"{what}.health_check.path: '{path}' must start with '/', like /healthz.");
        }
        var config = new HealthCheckConfig
        {
            Path = path,
            Interval = map.Duration("interval", TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1)) ?? d.Interval,
            Timeout = map.Duration("timeout", TimeSpan.FromMilliseconds(50), TimeSpan.FromMinutes(5)) ?? d.Timeout,
            PassiveFailures = map.Int("passive_failures", 0, 1000) ?? d.PassiveFailures,
            PassiveCooldown = map.Duration("passive_cooldown", TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1)) ?? d.PassiveCooldown,
        };
        map.RejectUnknownKeys();
        return config;
    }
}
