using YamlDotNet.RepresentationModel;

namespace Portcullis.Configuration;

/// <summary>
/// A YAML mapping being read into a config record. Each getter marks its key as known; <see cref="RejectUnknownKeys"/>
/// then reports every key nobody asked for (Caddy's strictness: a typo is an error, never a silent default).
/// </summary>
internal sealed class YamlMap
{
    private readonly Dictionary<string, (YamlScalarNode Key, YamlNode Value)> _entries = new(StringComparer.Ordinal);
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);

    public YamlMap(YamlMappingNode node, string what, ConfigErrorList errors)
    {
        Node = node;
        What = what;
        Errors = errors;
        foreach (var (key, value) in node.Children)
        {
            if (key is YamlScalarNode scalar && scalar.Value is { } name)
            {
                _entries[name] = (scalar, value);
            }
            else
            {
                errors.Add(key, $"{what}: keys must be plain names.");
            }
        }
    }

    public YamlMappingNode Node { get; }

    public string What { get; }

    public ConfigErrorList Errors { get; }

    /// <summary>The value node of a key, or null when absent or written as YAML null.</summary>
    public YamlNode? Get(string key)
    {
        _known.Add(key);
        if (!_entries.TryGetValue(key, out var entry) || YamlValues.IsNull(entry.Value))
        {
            return null;
        }
        return entry.Value;
    }

    public YamlNode? Required(string key, string hint)
    {
        var node = Get(key);
        if (node is null)
        {
            Errors.Add(Node, $"{What}: '{key}' is required; {hint}");
        }
        return node;
    }

    public string? String(string key) => Get(key) is { } node ? YamlValues.String(node, $"{What}.{key}", Errors) : null;

    public bool? Bool(string key) => Get(key) is { } node ? YamlValues.Bool(node, $"{What}.{key}", Errors) : null;

    public int? Int(string key, int min, int max) => Get(key) is { } node ? YamlValues.Int(node, $"{What}.{key}", min, max, Errors) : null;

    public TimeSpan? Duration(string key, TimeSpan min, TimeSpan max) =>
        Get(key) is { } node ? YamlValues.Duration(node, $"{What}.{key}", min, max, Errors) : null;

    public long? Size(string key, long min, long max) => Get(key) is { } node ? YamlValues.Size(node, $"{What}.{key}", min, max, Errors) : null;

    public YamlMap? Map(string key) => Get(key) is { } node ? YamlValues.Map(node, $"{What}.{key}", Errors) : null;

    public IReadOnlyList<YamlNode>? Sequence(string key) => Get(key) is { } node ? YamlValues.Sequence(node, $"{What}.{key}", Errors) : null;

    /// <summary>Reports every key of this mapping that no getter asked for, naming the keys that are allowed.</summary>
    public void RejectUnknownKeys()
    {
        foreach (var (name, entry) in _entries)
        {
            if (_known.Contains(name))
            {
                continue;
            }
            var allowed = string.Join(", ", _known.Order(StringComparer.Ordinal));
            var near = _known.FirstOrDefault(k => YamlValues.LooksLike(name, k));
            var suggestion = near is null ? "" : $" Did you mean '{near}'?";
            Errors.Add(entry.Key, $"{What}: unknown key '{name}'.{suggestion} Allowed here: {allowed}.");
        }
    }
}
