using Microsoft.AspNetCore.Http;
using Portcullis.Configuration;
using Portcullis.Proxy;
using Yarp.ReverseProxy.Forwarder;

namespace Portcullis.Sites;

/// <summary>A route of a site at run time: its prefix, upstream pool and forwarding settings.</summary>
internal sealed class SiteRoute(RouteConfig config, UpstreamPool pool, long maxBodySize)
{
    public RouteConfig Config { get; } = config;

    /// <summary>"/" or a prefix without trailing slash.</summary>
    public string Prefix { get; } = config.Path;

    public UpstreamPool Pool { get; } = pool;

    public long MaxBodySize { get; } = maxBodySize;

    /// <summary>Each upstream's in-flight cap (<c>upstream_limit</c>); null when the route has none.</summary>
    public IReadOnlyDictionary<Upstream, Limits.UpstreamGate>? UpstreamGates { get; } =
        config.UpstreamLimit is { } limit ? pool.Upstreams.Distinct().ToDictionary(u => u, _ => new Limits.UpstreamGate(limit)) : null;

    public ForwarderRequestConfig RequestConfig { get; } = new()
    {
        // ActivityTimeout resets on every byte in either direction: a slow but moving download is not cut, a silent upstream is (504).
        ActivityTimeout = config.Timeout,
        Version = System.Net.HttpVersion.Version11,
        VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        AllowResponseBuffering = false,
    };

    /// <summary>Segment-boundary prefix match: "/api" matches "/api" and "/api/x", not "/apix".</summary>
    public bool Matches(PathString path)
    {
        if (Prefix.Length == 1)
        {
            return true;
        }
        var value = path.Value;
        return value is not null && value.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) &&
               (value.Length == Prefix.Length || value[Prefix.Length] == '/');
    }
}
