namespace Portcullis.Waf.Operators.Prefilter;

/// <summary>
/// What the analysis knows about the strings a pattern node matches (all literals lowercase, compared ASCII
/// case-insensitively), after Russ Cox's "regexp info" for trigram indexes (swtch.com/~rsc/regexp/regexp4.html):
/// </summary>
/// <param name="Exact">Every string the node can match, when that set is small; null otherwise.</param>
/// <param name="Prefix">Every match starts with one of these (<c>[""]</c>: unknown).</param>
/// <param name="Suffix">Every match ends with one of these (<c>[""]</c>: unknown).</param>
/// <param name="Required">Every match contains one of these (<c>[""]</c>: nothing required).</param>
internal sealed record LiteralInfo(string[]? Exact, string[] Prefix, string[] Suffix, string[] Required)
{
    public static LiteralInfo Unknown { get; } = new(null, LiteralSets.Nothing, LiteralSets.Nothing, LiteralSets.Nothing);

    public static LiteralInfo EmptyString { get; } = FromExact(LiteralSets.Nothing);

    public static LiteralInfo FromExact(string[] exact) => new(exact, exact, exact, LiteralSets.Reduce(exact));
}
