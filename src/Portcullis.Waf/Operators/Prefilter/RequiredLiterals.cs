namespace Portcullis.Waf.Operators.Prefilter;

/// <summary>
/// Load-time analysis for an <c>@rx</c> prefilter: the literals of which at least one appears in every string a CRS
/// pattern matches. A value that contains none of them cannot match, so the regex need not run on it.
/// <para>The literals are ASCII-lowercase; test them against the value ASCII-case-insensitively (for example against
/// the value lowercased with A-Z only — bytes ≥ 0x80 never fold in PCRE's C locale). That test is a superset of
/// the real one whether or not the pattern is caseless, which is all a prefilter needs.</para>
/// <para>Null means "no prefilter": the pattern can match without any literal (<c>^\d+$</c>), its literals are too
/// short to be worth testing (<see cref="PrefilterLimits.IsWorthTesting"/>), or it uses syntax the analysis does not read exactly.</para>
/// </summary>
internal static class RequiredLiterals
{
    public static IReadOnlyList<string>? Analyze(string pcrePattern) => Analyze(pcrePattern, PrefilterLimits.Default);

    public static IReadOnlyList<string>? Analyze(string pcrePattern, PrefilterLimits limits)
    {
        ArgumentNullException.ThrowIfNull(pcrePattern);
        ArgumentNullException.ThrowIfNull(limits);
        if (PatternParser.TryParse(pcrePattern) is not { } node)
        {
            return null;
        }
        var required = new LiteralAnalyzer(limits).Analyze(node).Required;
        return LiteralSets.IsNothing(required) || !required.All(limits.IsWorthTesting) ? null : required;
    }

    /// <summary>The prefilter test itself: does the value hold one of the literals, ASCII case ignored?</summary>
    public static bool ContainsAny(string value, IReadOnlyList<string> literals)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(literals);
        var lowered = AsciiCase.Lower(value);
        foreach (var literal in literals)
        {
            if (lowered.Contains(literal, StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }
}
