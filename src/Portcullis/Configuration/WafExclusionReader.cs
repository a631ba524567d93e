using System.Text.RegularExpressions;
using Portcullis.Waf.Rules;
using YamlDotNet.RepresentationModel;

namespace Portcullis.Configuration;

/// <summary>Reads <c>waf.exclusions</c> (gateway-wide or a site's): each entry checked the way the engine will use it.</summary>
internal static partial class WafExclusionReader
{
    public static List<WafExclusion> Read(YamlMap map, string what)
    {
        var result = new List<WafExclusion>();
        var items = map.Sequence("exclusions");
        for (var i = 0; items is not null && i < items.Count; i++)
        {
            if (YamlValues.Map(items[i], $"{what}.exclusions[{i}]", map.Errors) is { } entry && ReadOne(entry, items[i]) is { } exclusion)
            {
                result.Add(exclusion);
            }
        }
        return result;
    }

    private static WafExclusion? ReadOne(YamlMap entry, YamlNode node)
    {
        var errors = entry.Errors;
        var before = errors.Count;
        var rules = Strings(entry, "rules");
        foreach (var (id, at) in rules.Where(r => !IdPattern().IsMatch(r.Text)))
        {
            errors.Add(at, $"{entry.What}.rules: '{id}' is not a rule id; write an id like 942100 or a range like 942100-942199.");
        }
        var tags = Strings(entry, "tags");
        foreach (var (tag, at) in tags.Where(t => t.Text.Length == 0 || t.Text.Any(c => c is ',' or '"' or '\'' || char.IsWhiteSpace(c))))
        {
            errors.Add(at, $"{entry.What}.tags: '{tag}' is not a tag; write a rule tag like attack-sqli or paranoia-level/2.");
        }
        var targets = Strings(entry, "targets");
        foreach (var (target, at) in targets)
        {
            if (RuleTargetSyntax.Validate(target) is { } problem)
            {
                errors.Add(at, $"{entry.What}.targets: '{target}': {problem}.");
            }
        }
        string? path = null;
        if (entry.String("path") is { } pathText && entry.Get("path") is { } pathNode)
        {
            if (!pathText.StartsWith('/') || pathText.Any(c => c is '"' or '%' or '\\' || char.IsControl(c) || c == ' '))
            {
                errors.Add(pathNode, $"{entry.What}.path: '{pathText}' must be a decoded path prefix starting with '/', without spaces, quotes, '%' or '\\', like /blog/comments.");
            }
            path = pathText;
        }
        var methods = Strings(entry, "methods");
        foreach (var (method, at) in methods.Where(m => !MethodPattern().IsMatch(m.Text)))
        {
            errors.Add(at, $"{entry.What}.methods: '{method}' is not an HTTP method; write methods in capitals, like POST.");
        }
        if (rules.Count == 0 && tags.Count == 0)
        {
            errors.Add(node, $"{entry.What}: say which rules it is about, with rules: [942100] or tags: [attack-sqli].");
        }
        entry.RejectUnknownKeys();
        return errors.Count > before ? null : new WafExclusion
        {
            Rules = [.. rules.Select(r => r.Text)],
            Tags = [.. tags.Select(t => t.Text)],
            Targets = [.. targets.Select(t => t.Text)],
            Path = path,
            Methods = [.. methods.Select(m => m.Text)],
        };
    }

    /// <summary>A list of scalars; a single scalar is accepted as a list of one (<c>rules: 942100</c>).</summary>
    private static List<(string Text, YamlNode At)> Strings(YamlMap entry, string key)
    {
        var what = $"{entry.What}.{key}";
        return entry.Get(key) switch
        {
            null => [],
            YamlSequenceNode sequence => [.. sequence.Children.Select(n => (Text: YamlValues.String(n, $"{what}[]", entry.Errors), At: n)).Where(t => t.Text is not null).Select(t => (t.Text!.Trim(), t.At))],
            var single => YamlValues.String(single, what, entry.Errors) is { } text ? [(text.Trim(), single)] : [],
        };
    }

    [GeneratedRegex(@"^\d{1,9}(-\d{1,9})?$")]
    private static partial Regex IdPattern();

    [GeneratedRegex("^[A-Z][A-Z-]{0,19}$")]
    private static partial Regex MethodPattern();
}
