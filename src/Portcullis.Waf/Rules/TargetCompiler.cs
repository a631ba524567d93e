using Portcullis.Waf.Operators;
using Portcullis.Waf.Operators.Prefilter;
using Portcullis.Waf.SecLang;
using Portcullis.Waf.Variables;

namespace Portcullis.Waf.Rules;

/// <summary>Turns parsed variable specs into <see cref="RuleTarget"/>s: known variable, key forms it allows.</summary>
internal static class TargetCompiler
{
    private static readonly TimeSpan KeyRegexTimeout = TimeSpan.FromMilliseconds(100);

    private static readonly System.Buffers.SearchValues<char> PrefixChars =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-");

    public static RuleTarget Compile(VariableSpec spec)
    {
        if (!VariableRegistry.TryGet(spec.Collection, out var variable))
        {
            throw new FormatException($"unknown variable '{spec.Collection}'");
        }
        var name = variable.Value;
        if (spec.Key is not null && !VariableRegistry.IsCollection(name))
        {
            throw new FormatException($"{spec.Collection} holds one value and takes no ':key'");
        }
        if (name == VariableName.Xml && spec.Key is not null && spec.Key is not ("/*" or "//@*"))
        {
            throw new FormatException($"XML supports the XPath keys '/*' (all text) and '//@*' (all attribute values) only, not '{spec.Key}'");
        }
        if (spec.Count && spec.Exclude)
        {
            throw new FormatException($"'{spec}' combines ! and &");
        }
        var regex = spec.KeyIsRegex ? PcrePattern.Compile("(?i)" + spec.Key, KeyRegexTimeout) : null;
        // A key regex runs against every key of the collection (CRS 920450 and 922110 select TX:/regex/ from dozens of
        // TX variables on every request): the literal prefilter of @rx skips the keys that cannot match.
        var prefilter = regex is not null && RegexPrefilter.For(spec.Key!) is { AfterGap: false } literals ? literals : null;
        return new RuleTarget(name, spec.KeyIsRegex ? null : spec.Key, regex, spec.Count, spec.Exclude, spec.ToString())
        {
            KeyPrefilter = prefilter,
            KeyPrefix = regex is not null ? AnchoredPrefix(spec.Key!) : null,
        };
    }

    /// <summary>
    /// The literal of a key regex that is only <c>^literal</c> (CRS 920450's <c>TX:/^header_name_920450_/</c>), or null:
    /// such a regex selects exactly the keys that start with the literal, ASCII case aside.
    /// </summary>
    private static string? AnchoredPrefix(string pattern) =>
        pattern.Length > 1 && pattern[0] == '^' && pattern.AsSpan(1).IndexOfAnyExcept(PrefixChars) < 0 ? pattern[1..] : null;
}
