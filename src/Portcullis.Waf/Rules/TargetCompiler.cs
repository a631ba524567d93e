using Portcullis.Waf.Operators;
using Portcullis.Waf.Operators.Prefilter;
using Portcullis.Waf.SecLang;
using Portcullis.Waf.Variables;

namespace Portcullis.Waf.Rules;

/// <summary>Turns parsed variable specs into <see cref="RuleTarget"/>s: known variable, key forms it allows.</summary>
internal static class TargetCompiler
{
    private static readonly TimeSpan KeyRegexTimeout = TimeSpan.FromMilliseconds(100);

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
        return new RuleTarget(name, spec.KeyIsRegex ? null : spec.Key, regex, spec.Count, spec.Exclude, spec.ToString()) { KeyPrefilter = prefilter };
    }
}
