using System.Buffers;
using Portcullis.Waf.Operators.Matching;

namespace Portcullis.Waf.Operators.Prefilter;

/// <summary>
/// A cheap test that runs before an <c>@rx</c> regex: false means the regex cannot match the value, so it need not
/// run. Two kinds, both built at load time from the pattern:
/// <list type="bullet">
/// <item>required literals (<see cref="RequiredLiterals"/>): one of them appears in every match;</item>
/// <item>literals after the evasion gap (<see cref="EvasionGap"/>): one of the command words appears in the value once
/// the gap's characters are deleted, unless the value holds a <c>$</c> (then the regex always runs).</item>
/// </list>
/// Up to <see cref="VectorisedLimit"/> literals are searched with <see cref="SearchValues{T}"/> (vectorised), more with
/// the Aho-Corasick automaton of <c>@pm</c>; both ignore ASCII case: a superset of the regex's own test whether or not
/// it is caseless, which is all a prefilter needs.
/// </summary>
internal sealed class RegexPrefilter
{
    /// <summary>Values up to this long are normalised on the stack; longer ones use a pooled buffer.</summary>
    private const int StackLimit = 512;

    /// <summary>Above this many literals SearchValues measured slower than the automaton (docs/benchmarks.md).</summary>
    private const int VectorisedLimit = 64;

    /// <summary>
    /// Word lists hold hundreds of words (CRS's SQL-function and PHP-directive lists): looking for them with the
    /// automaton is still far cheaper than a regex scan. Literals of one or two characters were measured to cost more
    /// than they save on benign traffic (they are in almost every value), unless they hold a character benign values
    /// seldom contain (<c>$</c>, <c>{</c>, <c>\n</c>, <c>&lt;?</c>: <see cref="PrefilterLimits.IsRare"/>): those take
    /// CRS's template, shell-expansion, header-injection and PHP-tag patterns off benign values.
    /// </summary>
    private static readonly PrefilterLimits Limits = new(MaxLiterals: 512, MinLiteralLength: 3, ShortIfRare: true);

    /// <summary>
    /// The last resort: short literals without letters or digits too (a quote, <c>(</c>). CRS's 942190 has no literal
    /// worth testing alone, as one branch starts with a quote, but every match holds a quote or one of ten SQL words:
    /// benign values with neither skip its regex, and a list with neither skips the rule whole. A common character
    /// lets most values through, which still costs no more than having no prefilter.
    /// </summary>
    private static readonly PrefilterLimits PunctuationLimits = Limits with { ShortIfPunctuation = true };

    /// <summary>The command lists after the evasion gap: hundreds of words, some of two letters (<c>ls</c>, <c>sh</c>), worth it there.</summary>
    private static readonly PrefilterLimits GapLimits = new(MaxLiterals: 512, MinLiteralLength: 2);

    private static readonly SearchValues<char> IgnorableChars = SearchValues.Create(EvasionGap.Ignorable);

    private readonly SearchValues<string>? _literals;
    private readonly PhraseMatcher? _automaton;
    private readonly bool _afterGap;

    private RegexPrefilter(IReadOnlyList<string> literals, bool afterGap)
    {
        if (literals.Count <= VectorisedLimit)
        {
            _literals = SearchValues.Create([.. literals], StringComparison.OrdinalIgnoreCase);
        }
        else
        {
            _automaton = new PhraseMatcher(literals);
        }
        _afterGap = afterGap;
        Literals = literals;
    }

    /// <summary>The literals searched for (ASCII lower case).</summary>
    public IReadOnlyList<string> Literals { get; }

    /// <summary>True for the evasion-gap kind.</summary>
    public bool AfterGap => _afterGap;

    /// <summary>The prefilter for a PCRE pattern, or null when none is sound and worth it.</summary>
    public static RegexPrefilter? For(string pcrePattern)
    {
        if (RequiredLiterals.Analyze(pcrePattern, Limits) is { } literals)
        {
            return new RegexPrefilter(literals, afterGap: false);
        }
        // A literal holding an ignorable character would be broken up by the deletion: no prefilter then.
        if (EvasionGap.Strip(pcrePattern) is { } stripped
            && RequiredLiterals.Analyze(stripped, GapLimits) is { } words
            && words.All(w => w.AsSpan().IndexOfAny(IgnorableChars) < 0 && !w.Contains(EvasionGap.Expansion, StringComparison.Ordinal)))
        {
            return new RegexPrefilter(words, afterGap: true);
        }
        return RequiredLiterals.Analyze(pcrePattern, PunctuationLimits) is { } withPunctuation
            ? new RegexPrefilter(withPunctuation, afterGap: false)
            : null;
    }

    /// <summary>False when the regex cannot match <paramref name="value"/>.</summary>
    public bool MayMatch(ReadOnlySpan<char> value)
    {
        if (!_afterGap || value.IndexOfAny(IgnorableChars) < 0)
        {
            return (_afterGap && value.Contains(EvasionGap.Expansion)) || ContainsLiteral(value);
        }
        if (value.Contains(EvasionGap.Expansion))
        {
            return true;
        }
        char[]? rented = null;
        var buffer = value.Length <= StackLimit ? stackalloc char[StackLimit] : (rented = ArrayPool<char>.Shared.Rent(value.Length));
        var length = 0;
        foreach (var c in value)
        {
            if (!EvasionGap.Ignorable.Contains(c))
            {
                buffer[length++] = c;
            }
        }
        var found = ContainsLiteral(buffer[..length]);
        if (rented is not null)
        {
            ArrayPool<char>.Shared.Return(rented);
        }
        return found;
    }

    private bool ContainsLiteral(ReadOnlySpan<char> value) =>
        _literals is not null ? value.IndexOfAny(_literals) >= 0 : _automaton!.TryMatch(value, out _);
}
