using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

namespace Portcullis.Waf.Transformations;

/// <summary>
/// Every transformation by SecLang name, looked up case-insensitively like ModSecurity's <c>apr_table_get</c>.
/// <c>none</c> is deliberately absent: the rule compiler treats it as "clear the pipeline".
/// </summary>
internal static class TransformationRegistry
{
    private static readonly FrozenDictionary<string, Transformation> ByName = Build();

    /// <summary>All accepted names, aliases included.</summary>
    public static IReadOnlyCollection<string> Names => ByName.Keys;

    public static bool TryGet(string name, [NotNullWhen(true)] out Transformation? transformation) =>
        ByName.TryGetValue(name, out transformation);

    /// <summary>The one registry list. Adding a transformation means adding it here.</summary>
    private static IEnumerable<Transformation> All() =>
    [
        UrlDecodeUni.Instance,
        UrlDecode.Instance,
        Lowercase.Instance,
        Uppercase.Instance,
        JsDecode.Instance,
        HtmlEntityDecode.Instance,
        Utf8ToUnicode.Instance,
        RemoveNulls.Instance,
        ReplaceNulls.Instance,
        CssDecode.Instance,
        CmdLine.Instance,
        RemoveWhitespace.Instance,
        ReplaceComments.Instance,
        RemoveCommentsChar.Instance,
        NormalizePath.Instance,
        NormalizePathWin.Instance,
        EscapeSeqDecode.Instance,
        CompressWhitespace.Instance,
        Base64Decode.Instance,
        Base64DecodeExt.Instance,
        Base64Encode.Instance,
        Length.Instance,
        HexEncode.Instance,
        HexDecode.Instance,
        Sha1.Instance,
        Md5.Instance,
        Trim.Instance,
        TrimLeft.Instance,
        TrimRight.Instance,
        UrlEncode.Instance,
        SqlHexDecode.Instance,
    ];

    /// <summary>Other spellings ModSecurity accepts: v2's British names and its name for base64DecodeExt.</summary>
    private static IEnumerable<(string Alias, Transformation Target)> Aliases() =>
    [
        ("normalisePath", NormalizePath.Instance),
        ("normalisePathWin", NormalizePathWin.Instance),
        ("decodeBase64Ext", Base64DecodeExt.Instance),
    ];

    internal static FrozenDictionary<string, Transformation> Build() => Build(All(), Aliases());

    internal static FrozenDictionary<string, Transformation> Build(
        IEnumerable<Transformation> transformations, IEnumerable<(string Alias, Transformation Target)> aliases)
    {
        var map = new Dictionary<string, Transformation>(StringComparer.OrdinalIgnoreCase);
        foreach (var transformation in transformations)
        {
            Add(map, transformation.Name, transformation);
        }
        foreach (var (alias, target) in aliases)
        {
            Add(map, alias, target);
        }
        return map.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }

    private static void Add(Dictionary<string, Transformation> map, string name, Transformation transformation)
    {
        if (name.Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException("'none' is handled by the rule compiler, not registered.");
        }
        if (!map.TryAdd(name, transformation))
        {
            throw new InvalidOperationException($"Duplicate transformation name '{name}'.");
        }
    }
}
