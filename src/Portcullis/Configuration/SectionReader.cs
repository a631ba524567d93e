using System.Net;
using YamlDotNet.RepresentationModel;

namespace Portcullis.Configuration;

/// <summary>Reads the gateway-wide sections (listen, tls, trusted_proxies, headers, limits, proxy, log).</summary>
internal static class SectionReader
{
    private static readonly TimeSpan Ms = TimeSpan.FromMilliseconds(1);

    public static ListenConfig Listen(YamlMap? map)
    {
        var config = new ListenConfig { Https = new IPEndPoint(IPAddress.Any, 443), Http = new IPEndPoint(IPAddress.Any, 80) };
        if (map is null)
        {
            return config;
        }
        var https = map.Get("https") is { } h ? Endpoint(h, "listen.https", map.Errors) : null;
        IPEndPoint? http = config.Http;
        if (map.Get("http") is { } node)
        {
            http = map.String("http") is "off" or "false" ? null : Endpoint(node, "listen.http", map.Errors);
        }
        map.RejectUnknownKeys();
        if (https is not null && http is not null && https.Equals(http))
        {
            map.Errors.Add(map.Node, "listen: https and http cannot use the same address and port.");
        }
        return config with { Https = https ?? config.Https, Http = http };
    }

    /// <summary>"127.0.0.1:8443", "[::1]:443", "0.0.0.0:443", "*:443" or ":443" (any address).</summary>
    public static IPEndPoint? Endpoint(YamlNode node, string what, ConfigErrorList errors)
    {
        var text = YamlValues.String(node, what, errors);
        if (text is null)
        {
            return null;
        }
        var normalized = text.StartsWith(':') ? "0.0.0.0" + text : text.StartsWith("*:", StringComparison.Ordinal) ? "0.0.0.0" + text[1..] : text;
        if (normalized.StartsWith("localhost:", StringComparison.OrdinalIgnoreCase))
        {
            normalized = "127.0.0.1" + normalized[9..];
        }
        if (IPEndPoint.TryParse(normalized, out var endpoint) && normalized.Contains(':', StringComparison.Ordinal) &&
            endpoint.Port is > 0 and <= 65535 && (normalized.LastIndexOf(':') > normalized.LastIndexOf(']')))
        {
            return endpoint;
        }
        errors.Add(node, $"{what}: '{text}' is not an address:port; write it like 0.0.0.0:443, 127.0.0.1:8443 or [::]:443.");
        return null;
    }

    public static TlsConfig Tls(YamlMap? map, string baseDir)
    {
        var config = new TlsConfig();
        if (map is null)
        {
            return config;
        }
        var profile = config.Profile;
        if (map.Get("profile") is { } node)
        {
            switch (map.String("profile"))
            {
                case "intermediate": profile = TlsProfile.Intermediate; break;
                case "modern": profile = TlsProfile.Modern; break;
                case var other: map.Errors.Add(node, $"tls.profile: '{other}' is not a profile; use intermediate (TLS 1.2 + 1.3) or modern (TLS 1.3 only)."); break;
            }
        }
        var strict = map.Bool("strict_sni") ?? config.StrictSni;
        var acme = map.Map("acme") is { } acmeMap ? AcmeReader.Read(acmeMap, baseDir) : config.Acme;
        map.RejectUnknownKeys();
        return config with { Profile = profile, StrictSni = strict, Acme = acme };
    }

    public static IReadOnlyList<IPNetwork> TrustedProxies(YamlNode? node, ConfigErrorList errors)
    {
        if (node is null || YamlValues.Sequence(node, "trusted_proxies", errors) is not { } items)
        {
            return [];
        }
        var result = new List<IPNetwork>();
        foreach (var item in items)
        {
            var text = YamlValues.String(item, "trusted_proxies", errors);
            if (text is null)
            {
                continue;
            }
            if (IPNetwork.TryParse(text, out var network))
            {
                result.Add(network);
            }
            else if (IPAddress.TryParse(text, out var address))
            {
                result.Add(new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128));
            }
            else
            {
                errors.Add(item, $"trusted_proxies: '{text}' is not an address or CIDR range; write it like 10.0.0.5 or 10.0.0.0/8 (and no host bits set past the prefix).");
            }
        }
        return result;
    }

    public static HeadersConfig Headers(YamlMap? map)
    {
        if (map is null)
        {
            return HeadersConfig.Empty;
        }
        var set = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (map.Map("set") is { } setMap)
        {
            foreach (var (keyNode, valueNode) in setMap.Node.Children)
            {
                var name = (keyNode as YamlScalarNode)?.Value ?? "";
                if (!IsHeaderName(name))
                {
                    map.Errors.Add(keyNode, $"{map.What}.set: '{name}' is not a valid header name (letters, digits and -).");
                    continue;
                }
                var value = YamlValues.IsNull(valueNode) ? "" : YamlValues.String(valueNode, $"{map.What}.set.{name}", map.Errors);
                if (value is not null && value.Any(c => (c < 0x20 && c != '\t') || c >= 0x7F))
                {
                    // Kestrel sends ASCII only: a pasted typographic dash would turn every response into a 500.
                    map.Errors.Add(valueNode, $"{map.What}.set.{name}: header values must be printable ASCII (no control or non-ASCII characters).");
                }
                else if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) || name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase) ||
                         name.Equals("Connection", StringComparison.OrdinalIgnoreCase))
                {
                    map.Errors.Add(keyNode, $"{map.What}.set: '{name}' frames the message and cannot be set; remove it.");
                }
                else if (value is not null)
                {
                    set[name] = value;
                }
            }
        }
        var remove = new List<string>();
        foreach (var item in map.Sequence("remove") ?? [])
        {
            var name = YamlValues.String(item, $"{map.What}.remove", map.Errors);
            if (name is not null && IsHeaderName(name))
            {
                remove.Add(name);
            }
            else if (name is not null)
            {
                map.Errors.Add(item, $"{map.What}.remove: '{name}' is not a valid header name.");
            }
        }
        map.RejectUnknownKeys();
        return new HeadersConfig { Set = set, Remove = remove };
    }

    private static bool IsHeaderName(string name) =>
        name.Length is > 0 and < 256 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    public static LimitsConfig Limits(YamlMap? map)
    {
        var d = new LimitsConfig();
        if (map is null)
        {
            return d;
        }
        var config = new LimitsConfig
        {
            MaxRequestLineSize = (int)(map.Size("max_request_line_size", 1024, 1 << 20) ?? d.MaxRequestLineSize),
            MaxRequestHeadersTotalSize = (int)(map.Size("max_request_headers_size", 1024, 1 << 24) ?? d.MaxRequestHeadersTotalSize),
            MaxRequestHeaderCount = map.Int("max_request_header_count", 1, 10_000) ?? d.MaxRequestHeaderCount,
            RequestHeadersTimeout = map.Duration("request_headers_timeout", TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10)) ?? d.RequestHeadersTimeout,
            KeepAliveTimeout = map.Duration("keepalive_timeout", TimeSpan.FromSeconds(1), TimeSpan.FromHours(1)) ?? d.KeepAliveTimeout,
            MinRequestBodyDataRate = map.Size("min_request_data_rate", 0, 1 << 30) ?? (long)d.MinRequestBodyDataRate,
            MinResponseDataRate = map.Size("min_response_data_rate", 0, 1 << 30) ?? (long)d.MinResponseDataRate,
            DataRateGracePeriod = map.Duration("data_rate_grace_period", TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10)) ?? d.DataRateGracePeriod,
            MaxBodySize = map.Size("max_body_size", 0, long.MaxValue) ?? d.MaxBodySize,
            Http2MaxStreamsPerConnection = map.Int("http2_max_streams", 1, 1000) ?? d.Http2MaxStreamsPerConnection,
            MaxConnections = map.Int("max_connections", 1, 10_000_000) ?? d.MaxConnections,
            Http2MaxResets = map.Get("http2_max_resets") is YamlScalarNode { Value: "off" } ? null : map.Int("http2_max_resets", 1, 1_000_000) ?? d.Http2MaxResets,
        };
        map.RejectUnknownKeys();
        return config;
    }

    public static ProxyConfig Proxy(YamlMap? map)
    {
        var d = new ProxyConfig();
        if (map is null)
        {
            return d;
        }
        var config = new ProxyConfig { ConnectTimeout = map.Duration("connect_timeout", 10 * Ms, TimeSpan.FromMinutes(5)) ?? d.ConnectTimeout };
        map.RejectUnknownKeys();
        return config;
    }

    public static LogConfig Log(YamlMap? map)
    {
        var d = new LogConfig();
        if (map is null)
        {
            return d;
        }
        var config = new LogConfig
        {
            File = map.Bool("file") ?? d.File,
            Stdout = map.Bool("stdout") ?? d.Stdout,
            MaxFileSize = map.Size("max_size", 4096, long.MaxValue) ?? d.MaxFileSize,
            KeepFiles = map.Int("keep", 0, 1000) ?? d.KeepFiles,
        };
        map.RejectUnknownKeys();
        return config;
    }
}
