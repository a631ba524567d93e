using Portcullis.Configuration;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Portcullis.CrsTest;

/// <summary>The value shapes go-ftw files use beyond plain scalars: id lists, header maps, base64, regexes.</summary>
internal static class FtwYaml
{
    /// <summary>Parses one file; a file holding only comments (CRS's 920539.yaml) yields null, as go-ftw sees an empty test.</summary>
    public static YamlMappingNode? ReadRoot(string text, string what, ConfigErrorList errors)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            errors.Add(e.Start, $"{what}: not valid YAML: {e.InnerException?.Message ?? e.Message}");
            return null;
        }
        if (stream.Documents.Count == 0 || YamlValues.IsNull(stream.Documents[0].RootNode))
        {
            return null;
        }
        if (stream.Documents.Count > 1)
        {
            errors.Add(stream.Documents[1].RootNode, $"{what}: expected one YAML document, found {stream.Documents.Count}.");
        }
        if (stream.Documents[0].RootNode is YamlMappingNode root)
        {
            return root;
        }
        errors.Add(stream.Documents[0].RootNode, $"{what}: expected a mapping at the top level.");
        return null;
    }

    public static uint? UInt(YamlMap map, string key) => map.Int(key, 0, int.MaxValue) is { } value ? (uint)value : null;

    /// <summary>A list of rule or test ids: <c>[920100, 920120]</c>.</summary>
    public static IReadOnlyList<uint>? UIntList(YamlMap map, string key)
    {
        if (map.Sequence(key) is not { } items)
        {
            return null;
        }
        var result = new List<uint>(items.Count);
        foreach (var item in items)
        {
            if (YamlValues.Int(item, $"{map.What}.{key}[]", 0, int.MaxValue, map.Errors) is { } value)
            {
                result.Add((uint)value);
            }
        }
        return result;
    }

    /// <summary><c>status: 403</c> (schema v2) or <c>status: [200, 403]</c> (older files).</summary>
    public static IReadOnlyList<int> Statuses(YamlMap map, string key)
    {
        var node = map.Get(key);
        var items = node switch
        {
            null => [],
            YamlSequenceNode sequence => sequence.Children.ToList(),
            _ => new List<YamlNode> { node },
        };
        var result = new List<int>(items.Count);
        foreach (var item in items)
        {
            // 0 is go-ftw's "no expectation"; it is kept out of the list so an empty list means the same.
            if (YamlValues.Int(item, $"{map.What}.{key}", 0, 999, map.Errors) is { } status && status != 0)
            {
                result.Add(status);
            }
        }
        return result;
    }

    /// <summary>Base64 as Go's StdEncoding reads it (CR and LF inside are skipped; padding is required).</summary>
    public static byte[]? Base64(YamlMap map, string key)
    {
        if (map.String(key) is not { } text)
        {
            return null;
        }
        var compact = text.Replace("\r", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal);
        var buffer = new byte[compact.Length];
        if (Convert.TryFromBase64String(compact, buffer, out var written))
        {
            return buffer[..written];
        }
        map.Errors.Add(map.Get(key)!, $"{map.What}.{key}: not valid base64.");
        return null;
    }

    /// <summary>A regular expression go-ftw would compile; an invalid one is a load error here, not a crash mid-run.</summary>
    public static string? Regex(YamlMap map, string key)
    {
        var text = map.String(key);
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }
        try
        {
            _ = FtwRegexCache.Get(text);
        }
        catch (ArgumentException e)
        {
            map.Errors.Add(map.Get(key)!, $"{map.What}.{key}: not a valid regular expression: {e.Message}");
            return null;
        }
        return text;
    }

    /// <summary>
    /// A <c>headers</c> map, sorted by name the way go-ftw's <c>NewHeaderFromMap</c> does. A repeated key is an error,
    /// as in Go's YAML decoder; a null value is the empty string, as Go decodes null into a string.
    /// </summary>
    public static IReadOnlyList<FtwHeader>? HeaderMap(YamlMap map, string key)
    {
        if (map.Map(key) is not { } headers)
        {
            return null;
        }
        var result = new List<FtwHeader>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (nameNode, valueNode) in headers.Node.Children)
        {
            if (nameNode is not YamlScalarNode { Value: { } name })
            {
                map.Errors.Add(nameNode, $"{map.What}.{key}: header names must be plain text.");
                continue;
            }
            if (!seen.Add(name))
            {
                map.Errors.Add(nameNode, $"{map.What}.{key}: header '{name}' is defined twice; use ordered_headers to repeat a header.");
                continue;
            }
            if (HeaderValue(valueNode, $"{map.What}.{key}.{name}", map.Errors) is { } value)
            {
                result.Add(new FtwHeader(name, value));
            }
        }
        result.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return result;
    }

    /// <summary><c>ordered_headers</c>: a list of <c>{name, value}</c>, sent in order, repetitions allowed.</summary>
    public static IReadOnlyList<FtwHeader>? OrderedHeaders(YamlMap map, string key)
    {
        if (map.Sequence(key) is not { } items)
        {
            return null;
        }
        var result = new List<FtwHeader>(items.Count);
        foreach (var item in items)
        {
            if (YamlValues.Map(item, $"{map.What}.{key}[]", map.Errors) is not { } tuple)
            {
                continue;
            }
            var name = tuple.String("name");
            var value = tuple.Get("value") is { } valueNode ? HeaderValue(valueNode, $"{tuple.What}.value", map.Errors) : "";
            tuple.RejectUnknownKeys();
            if (string.IsNullOrEmpty(name))
            {
                map.Errors.Add(item, $"{map.What}.{key}[]: 'name' is required.");
            }
            else if (value is not null)
            {
                result.Add(new FtwHeader(name, value));
            }
        }
        return result;
    }

    /// <summary>Go decodes any scalar (a number such as <c>Keep-Alive: 300</c>, too) into a string header value.</summary>
    private static string? HeaderValue(YamlNode node, string what, ConfigErrorList errors) =>
        YamlValues.IsNull(node) ? "" : YamlValues.String(node, what, errors);

    public static IReadOnlyList<string> Strings(YamlMap map, string key)
    {
        if (map.Sequence(key) is not { } items)
        {
            return [];
        }
        return [.. items.Select(item => YamlValues.String(item, $"{map.What}.{key}[]", map.Errors)).OfType<string>()];
    }
}
