namespace Portcullis.Waf.Operators.Prefilter;

/// <summary>
/// Further required literals of CRS's evasion-gap command patterns (<see cref="EvasionGap"/>), one set per part of the
/// pattern's top-level sequence. Those patterns read "a command separator or prefix, then a command word":
/// <c>(?:[\n\r;=`{]|\|\|?|&amp;&amp;?|\$\(|busybox|env|time|…)[\s\x0b]*…(?:sh|ls|df|wc|…)</c>. The words are two or three
/// letters long and sit inside ordinary words ("ls" in "details"), so the word prefilter lets many benign values
/// through to one of CRS's largest regexes; but a value also needs one of the separators or prefixes, which benign
/// values seldom hold.
/// <para>Each set is analysed on the pattern without its gaps, so it only holds for a value in which the gaps can
/// match nothing: a value holding one of <see cref="Escape"/> (the gap's characters and <c>$</c>) always passes.</para>
/// </summary>
internal static class GapClauses
{
    /// <summary>Relaxed limits: the separators are single characters (<c>;</c>, <c>=</c>, <c>&amp;</c>).</summary>
    private static readonly PrefilterLimits Limits = new(MaxLiterals: 512, MinLiteralLength: 1);

    private const int MaxClauses = 2;

    /// <summary>Characters that let a gap match something: a value holding one is never rejected by a clause.</summary>
    public static CharMask Escape { get; } = CharMask.Of([.. EvasionGap.Ignorable, EvasionGap.Expansion]);

    /// <summary>The clauses of a PCRE pattern with evasion gaps: each a set of literals every match (of a value without
    /// <see cref="Escape"/> characters) holds one of. Empty when the pattern has no gaps or no clause is worth it.</summary>
    public static IReadOnlyList<string[]> For(string pcrePattern)
    {
        if (EvasionGap.Strip(pcrePattern) is not { } stripped || PatternParser.TryParse(stripped) is not SequenceNode sequence)
        {
            return [];
        }
        var analyzer = new LiteralAnalyzer(Limits);
        var clauses = new List<string[]>();
        foreach (var item in sequence.Items)
        {
            var required = analyzer.Analyze(item).Required;
            if (!LiteralSets.IsNothing(required) && required.All(IsWorthTesting))
            {
                clauses.Add(required);
                if (clauses.Count == MaxClauses)
                {
                    break;
                }
            }
        }
        return clauses;
    }

    /// <summary>ASCII (the shared scan's literals are), and three characters or more or punctuation only: a single letter
    /// or a two-letter word is in most values.</summary>
    private static bool IsWorthTesting(string literal) =>
        literal.All(char.IsAscii) && (literal.Length >= 3 || (literal.Length > 0 && !literal.Any(char.IsAsciiLetterOrDigit)));
}
