using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Portcullis.Configuration;

/// <summary>Reads <c>client_limits:</c> and the <c>rate_limit:</c> and <c>upstream_limit:</c> of sites and routes.</summary>
internal static class ClientLimitsReader
{
    public static ClientLimitsConfig Read(YamlMap? map)
    {
        var d = new ClientLimitsConfig();
        if (map is null)
        {
            return d;
        }
        var config = new ClientLimitsConfig
        {
            RateLimit = map.Get("rate_limit") is { } rate ? RateLimit(rate, $"{map.What}.rate_limit", map.Errors) ?? d.RateLimit : d.RateLimit,
            Ipv6Prefix = map.Int("ipv6_prefix", 16, 128) ?? d.Ipv6Prefix,
            MaxConnections = OptionalCount(map, "max_connections", d.MaxConnections),
            MaxRequestsInFlight = OptionalCount(map, "max_requests_in_flight", d.MaxRequestsInFlight),
        };
        map.RejectUnknownKeys();
        return config;
    }

    /// <summary><c>off</c>, or <c>{ rate: 20/s, burst: 40 }</c>; burst defaults to the rate's count.</summary>
    public static RateLimitConfig? RateLimit(YamlNode node, string what, ConfigErrorList errors)
    {
        if (node is YamlScalarNode { Value: "off" or "false" })
        {
            return RateLimitConfig.Off;
        }
        if (YamlValues.Map(node, what, errors) is not { } map)
        {
            return null;
        }
        var rateNode = map.Required("rate", "write it like rate: 20/s (per second, m, h or d).");
        var burst = map.Int("burst", 1, 1_000_000);
        map.RejectUnknownKeys();
        if (rateNode is null || YamlValues.String(rateNode, $"{what}.rate", errors) is not { } text)
        {
            return null;
        }
        if (!TryParseRate(text, out var requests, out var per))
        {
            errors.Add(rateNode, $"{what}.rate: '{text}' is not a rate; write requests per unit like 20/s, 600/m, 1000/h or 10000/d (1 to 1,000,000).");
            return null;
        }
        return new RateLimitConfig { Requests = requests, Per = per, Burst = burst ?? requests };
    }

    public static UpstreamLimitConfig? UpstreamLimit(YamlMap? map)
    {
        if (map is null)
        {
            return null;
        }
        var d = new UpstreamLimitConfig();
        var config = new UpstreamLimitConfig
        {
            MaxInFlight = map.Int("max_in_flight", 1, 1_000_000) ?? d.MaxInFlight,
            Queue = map.Int("queue", 0, 100_000) ?? d.Queue,
            QueueTimeout = map.Duration("queue_timeout", TimeSpan.FromMilliseconds(1), TimeSpan.FromMinutes(1)) ?? d.QueueTimeout,
        };
        map.RejectUnknownKeys();
        return config;
    }

    public static bool TryParseRate(string text, out int requests, out TimeSpan per)
    {
        per = default;
        requests = 0;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || !int.TryParse(text.AsSpan(0, slash).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out requests) || requests is < 1 or > 1_000_000)
        {
            return false;
        }
        per = text[(slash + 1)..].Trim() switch
        {
            "s" => TimeSpan.FromSeconds(1),
            "m" => TimeSpan.FromMinutes(1),
            "h" => TimeSpan.FromHours(1),
            "d" => TimeSpan.FromDays(1),
            _ => default,
        };
        return per > TimeSpan.Zero;
    }

    private static int? OptionalCount(YamlMap map, string key, int? fallback) => map.Get(key) switch
    {
        null => fallback,
        YamlScalarNode { Value: "off" } => null,
        _ => map.Int(key, 1, 10_000_000) ?? fallback,
    };
}
