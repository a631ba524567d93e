using YamlDotNet.RepresentationModel;

namespace Portcullis.Configuration;

/// <summary>
/// Reads a site's <c>challenge:</c>, either the mode alone (<c>challenge: always</c>) or a map with
/// <c>mode</c>, <c>difficulty</c>, <c>pass_ttl</c> and <c>exempt</c>; and a route's <c>challenge: off</c>.
/// </summary>
internal static class ChallengeReader
{
    /// <summary>Above this a browser needs minutes; a site that wants that wants a block, not a challenge.</summary>
    private const int MaxDifficulty = 28;

    public static ChallengeConfig ReadSite(YamlNode? node, string what, ConfigErrorList errors)
    {
        if (node is null)
        {
            return ChallengeConfig.Off;
        }
        if (node is YamlScalarNode)
        {
            return new ChallengeConfig { Mode = Mode(node, $"{what}.challenge", errors) };
        }
        if (YamlValues.Map(node, $"{what}.challenge", errors) is not { } map)
        {
            return ChallengeConfig.Off;
        }
        var d = new ChallengeConfig();
        var modeNode = map.Required("mode", "write off, suspicious or always.");
        var config = new ChallengeConfig
        {
            Mode = modeNode is null ? ChallengeMode.Off : Mode(modeNode, $"{map.What}.mode", errors),
            Difficulty = map.Int("difficulty", 1, MaxDifficulty) ?? d.Difficulty,
            PassLifetime = map.Duration("pass_ttl", TimeSpan.FromMinutes(1), TimeSpan.FromDays(30)) ?? d.PassLifetime,
            ExemptPaths = ExemptPaths(map),
        };
        map.RejectUnknownKeys();
        return config;
    }

    /// <summary>A route's <c>challenge:</c>: only <c>off</c> (exempt the route) is meaningful; the site decides otherwise.</summary>
    public static bool ReadRouteExempt(YamlMap map, string what)
    {
        if (map.Get("challenge") is not { } node)
        {
            return false;
        }
        // YAML 1.1 reads a bare off as a boolean false; both spellings mean the same here.
        if (map.String("challenge") is "off" or "false")
        {
            return true;
        }
        map.Errors.Add(node, $"{what}.challenge: only 'off' is allowed on a route (it exempts the route, e.g. an API); the site's challenge setting applies otherwise.");
        return false;
    }

    private static ChallengeMode Mode(YamlNode node, string what, ConfigErrorList errors)
    {
        switch (YamlValues.String(node, what, errors))
        {
            case null: return ChallengeMode.Off;
            case "off" or "false": return ChallengeMode.Off;
            case "suspicious": return ChallengeMode.Suspicious;
            case "always": return ChallengeMode.Always;
            case var other:
                errors.Add(node, $"{what}: '{other}' is not a challenge mode; use off, suspicious (only clients rate limits or detectors flagged) or always.");
                return ChallengeMode.Off;
        }
    }

    private static List<string> ExemptPaths(YamlMap map)
    {
        var paths = new List<string>();
        foreach (var item in map.Sequence("exempt") ?? [])
        {
            var path = YamlValues.String(item, $"{map.What}.exempt", map.Errors);
            if (path is null)
            {
                continue;
            }
            if (!path.StartsWith('/') || path.Contains('?', StringComparison.Ordinal) || path.Contains('#', StringComparison.Ordinal))
            {
                map.Errors.Add(item, $"{map.What}.exempt: '{path}' is not a path prefix; write it like /api or /webhooks (starting with '/', no query).");
                continue;
            }
            paths.Add(path.Length > 1 ? path.TrimEnd('/') : path);
        }
        return paths;
    }
}
