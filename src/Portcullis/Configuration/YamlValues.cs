using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Portcullis.Configuration;

/// <summary>Typed reading of YAML scalars with errors that say what was expected.</summary>
internal static class YamlValues
{
    public static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain, Value: null or "" or "~" or "null" or "Null" or "NULL" };

    public static string? String(YamlNode node, string what, ConfigErrorList errors)
    {
        if (node is YamlScalarNode scalar)
        {
            return scalar.Value ?? "";
        }
        errors.Add(node, $"{what}: expected a single value (text), found a {Kind(node)}.");
        return null;
    }

    public static bool? Bool(YamlNode node, string what, ConfigErrorList errors)
    {
        var text = String(node, what, errors);
        switch (text)
        {
            case null: return null;
            case "true" or "True" or "yes" or "on": return true;
            case "false" or "False" or "no" or "off": return false;
            default:
                errors.Add(node, $"{what}: expected true or false, found '{text}'.");
                return null;
        }
    }

    public static int? Int(YamlNode node, string what, int min, int max, ConfigErrorList errors)
    {
        var text = String(node, what, errors);
        if (text is null)
        {
            return null;
        }
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            errors.Add(node, $"{what}: expected a whole number, found '{text}'.");
            return null;
        }
        if (value < min || value > max)
        {
            errors.Add(node, $"{what}: {value} is out of range; use a number from {min} to {max}.");
            return null;
        }
        return value;
    }

    /// <summary>Durations are written with a unit: 500ms, 30s, 5m, 1h, 2d.</summary>
    public static TimeSpan? Duration(YamlNode node, string what, TimeSpan min, TimeSpan max, ConfigErrorList errors)
    {
        var text = String(node, what, errors);
        if (text is null)
        {
            return null;
        }
        if (!TryParseDuration(text, out var value))
        {
            errors.Add(node, $"{what}: '{text}' is not a duration; write it with a unit, like 500ms, 30s, 5m or 1h.");
            return null;
        }
        if (value < min || value > max)
        {
            errors.Add(node, $"{what}: {text} is out of range; use a duration from {Describe(min)} to {Describe(max)}.");
            return null;
        }
        return value;
    }

    public static bool TryParseDuration(string text, out TimeSpan value)
    {
        value = default;
        var units = new (string Suffix, double Seconds)[] { ("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86400) };
        foreach (var (suffix, seconds) in units)
        {
            if (text.EndsWith(suffix, StringComparison.Ordinal) &&
                double.TryParse(text.AsSpan(0, text.Length - suffix.Length), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n) &&
                n >= 0 && n * seconds < 1e9)
            {
                value = TimeSpan.FromSeconds(n * seconds);
                return true;
            }
        }
        return false;
    }

    /// <summary>Sizes are bytes, or a number with KB, MB or GB (1024-based, as in nginx).</summary>
    public static long? Size(YamlNode node, string what, long min, long max, ConfigErrorList errors)
    {
        var text = String(node, what, errors);
        if (text is null)
        {
            return null;
        }
        if (!TryParseSize(text, out var value))
        {
            errors.Add(node, $"{what}: '{text}' is not a size; write bytes or a number with KB, MB or GB, like 512KB or 10MB.");
            return null;
        }
        if (value < min || value > max)
        {
            errors.Add(node, $"{what}: {text} is out of range; use a size from {min} to {max} bytes.");
            return null;
        }
        return value;
    }

    public static bool TryParseSize(string text, out long value)
    {
        value = 0;
        var upper = text.Trim().ToUpperInvariant();
        long factor = 1;
        foreach (var (suffix, f) in new (string, long)[] { ("KB", 1L << 10), ("MB", 1L << 20), ("GB", 1L << 30), ("K", 1L << 10), ("M", 1L << 20), ("G", 1L << 30), ("B", 1) })
        {
            if (upper.EndsWith(suffix, StringComparison.Ordinal))
            {
                factor = f;
                upper = upper[..^suffix.Length].TrimEnd();
                break;
            }
        }
        if (!long.TryParse(upper, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n > long.MaxValue / factor)
        {
            return false;
        }
        value = n * factor;
        return true;
    }

    public static YamlMap? Map(YamlNode node, string what, ConfigErrorList errors)
    {
        if (node is YamlMappingNode mapping)
        {
            return new YamlMap(mapping, what, errors);
        }
        errors.Add(node, $"{what}: expected a mapping (key: value lines), found a {Kind(node)}.");
        return null;
    }

    public static IReadOnlyList<YamlNode>? Sequence(YamlNode node, string what, ConfigErrorList errors)
    {
        if (node is YamlSequenceNode sequence)
        {
            return sequence.Children.ToList();
        }
        errors.Add(node, $"{what}: expected a list ([a, b] or '- ' lines), found a {Kind(node)}.");
        return null;
    }

    public static string Kind(YamlNode node) => node switch
    {
        YamlMappingNode => "mapping",
        YamlSequenceNode => "list",
        _ => "single value",
    };

    /// <summary>True when two keys differ by case, '-' vs '_', or one edit: worth a "did you mean".</summary>
    public static bool LooksLike(string a, string b)
    {
        static string Norm(string s) => s.Replace('-', '_').ToUpperInvariant();
        var x = Norm(a);
        var y = Norm(b);
        if (x == y)
        {
            return true;
        }
        if (Math.Abs(x.Length - y.Length) > 1)
        {
            return false;
        }
        var i = 0;
        while (i < x.Length && i < y.Length && x[i] == y[i])
        {
            i++;
        }
        var j = 0;
        while (j < x.Length - i && j < y.Length - i && x[^(j + 1)] == y[^(j + 1)])
        {
            j++;
        }
        return x.Length - i - j <= 1 && y.Length - i - j <= 1;
    }

    private static string Describe(TimeSpan t) =>
        t.TotalMilliseconds < 1000 ? $"{t.TotalMilliseconds:0}ms" : t.TotalSeconds < 3600 ? $"{t.TotalSeconds:0}s" : $"{t.TotalHours:0}h";
}
