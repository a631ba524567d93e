using System.Text;
using System.Text.RegularExpressions;
using Portcullis.Waf.Operators.Prefilter;
using Portcullis.Waf.Transactions;

namespace Portcullis.Waf.Operators;

/// <summary>
/// <c>@rx PATTERN</c>: PCRE as ModSecurity runs it (byte mode, see <see cref="PcrePattern"/>), compiled once.
/// With <c>capture</c>, TX:0 holds the match and TX:1-9 the groups. A match that runs past the timeout counts as no
/// match and is recorded on the transaction (ModSecurity v2 likewise treats PCRE's match-limit error as no match).
/// <para>Three measured choices keep it fast (docs/benchmarks.md):</para>
/// <list type="bullet">
/// <item>When every match must contain one of a few literals (<see cref="RegexPrefilter"/>: required literals, or
/// command words once CRS's evasion gaps are taken out), a vectorised search for them runs first, and the regex only
/// on values that hold one: most values of benign traffic hold none.</item>
/// <item>Most values are ASCII. For them <c>\b</c> can be .NET's own (PCRE's byte-mode word characters are ASCII;
/// for other input the lookaround spelling keeps Latin-1 letters out of "word").</item>
/// <item>Each regex is a <see cref="RegexTier"/>: interpreted at first, and given a NonBacktracking twin in the
/// background once it shows itself hot and slow (3-10 µs per value on CRS's command, XSS and SQL lists, 0.1-0.3 µs
/// on the twin).</item>
/// </list>
/// Measured and rejected: RegexOptions.Compiled (its JIT on first use outlasts the match timeout for CRS's largest
/// patterns, and on the costliest one, 932340, it was no faster than the interpreter); NonBacktracking for every
/// pattern at load (the rule set grew from 9 MiB to 285 MiB and took 3 s longer to load).
/// </summary>
internal sealed class RxOperator : Operator
{
    private readonly RegexTier _exact;
    private readonly RegexTier _ascii;
    private readonly RegexPrefilter? _prefilter;

    public RxOperator(string pattern, OperatorContext context)
    {
        Pattern = pattern;
        var exact = PcrePattern.Translate(pattern);
        var ascii = PcrePattern.Translate(pattern, asciiInput: true);
        _exact = new RegexTier(PcrePattern.FromTranslation(exact, context.RegexTimeout));
        // The translations differ only when the pattern has \b or \B; otherwise one regex serves both.
        _ascii = ascii == exact ? _exact : new RegexTier(PcrePattern.FromTranslation(ascii, context.RegexTimeout));
        _prefilter = RegexPrefilter.For(pattern);
        _wholeValue = pattern == WholeValuePattern;
        Chars = _wholeValue ? null : CharRequirement.For(pattern);
        GapClauseLiterals = GapClauses.For(pattern);
    }

    /// <summary>
    /// CRS captures whole values with <c>^.*$</c> (920450 on every header name, to look each up in a list). Under
    /// ModSecurity's flags that matches any value, whole: no regex needs to run.
    /// </summary>
    private const string WholeValuePattern = "^.*$";

    private readonly bool _wholeValue;

    public string Pattern { get; }

    /// <summary>The literal prefilter, or null when the pattern has none.</summary>
    internal RegexPrefilter? Prefilter => _prefilter;

    /// <summary>
    /// The prefilter's literals within the rule set's <see cref="LiteralScanner"/> (set when the rule set is built):
    /// then the value is scanned once for every rule's literals, and this test is a few bit operations.
    /// </summary>
    internal LiteralMask? SharedMask { get; set; }

    /// <summary>
    /// <see cref="SharedMask"/> when <see cref="Evaluate"/> tests it: a value holding none of those literals does not
    /// match. Null for a pattern matched as the whole value, which is decided without the literals.
    /// </summary>
    internal LiteralMask? RequiredLiterals => _wholeValue ? null : SharedMask;

    /// <summary>True for the pattern that matches any value whole (decided without the literals or characters).</summary>
    internal bool WholeValue => _wholeValue;

    /// <summary>
    /// False when a value whose scan by the rule set's <see cref="Rules.RuleSet.Literals"/> found
    /// <paramref name="found"/>, with exactly the characters <paramref name="exact"/>, cannot match: the tests
    /// <see cref="Evaluate"/> makes before searching, as far as the scan answers them. True when the value may match,
    /// or when only the value itself can tell (a whole-value pattern; a prefilter of its own, left to <see cref="Evaluate"/>).
    /// </summary>
    internal bool MayMatchScan(ReadOnlySpan<int> found, AsciiChars exact)
    {
        if (_wholeValue)
        {
            return true;
        }
        if (SharedMask is { } mask)
        {
            return MayMatchScan(found, exact, mask);
        }
        var chars = exact.Folded;
        return (GapMasks.Length == 0 || MeetsGapClauses(found, chars)) && Chars?.MayMatch(chars) != false;
    }

    private bool MayMatchScan(ReadOnlySpan<int> found, AsciiChars exact, LiteralMask mask)
    {
        var chars = exact.Folded;
        return Chars?.MayMatch(chars) != false && mask.Any(found) && MeetsGapClauses(found, chars);
    }

    /// <summary>Characters every match holds (<see cref="CharRequirement"/>), or null: tested before the literals.</summary>
    internal CharRequirement? Chars { get; }

    /// <summary>An evasion-gap pattern's further literal sets (<see cref="GapClauses"/>).</summary>
    internal IReadOnlyList<string[]> GapClauseLiterals { get; } = [];

    /// <summary>
    /// <see cref="GapClauseLiterals"/> within the rule set's <see cref="LiteralScanner"/> (set when the rule set is
    /// built): a value without <see cref="GapClauses.Escape"/> characters must hold a literal of each.
    /// </summary>
    internal LiteralMask[] GapMasks { get; set; } = [];

    /// <summary>False when the value's scan (its literal ids and characters) shows a gap clause it cannot meet.</summary>
    internal bool MeetsGapClauses(ReadOnlySpan<int> found, CharMask chars) => GapEscaped(chars) || LiteralMask.AllMet(GapMasks, found);

    /// <summary>The same over a whole selection: the literal bits and characters of all its values together.</summary>
    internal bool MeetsGapClauses(ReadOnlySpan<ulong> found, CharMask chars) => GapEscaped(chars) || LiteralMask.AllMet(GapMasks, found);

    /// <summary>A value with a gap character (or above 0x7F) may match however its words are split.</summary>
    private static bool GapEscaped(CharMask chars) => chars.HasOther || chars.Meets(GapClauses.Escape);

    /// <summary>Builds the NonBacktracking twins now where the engine allows (see <see cref="RegexTier"/>); for tests and benchmarks.</summary>
    internal void PromoteNow()
    {
        _ascii.PromoteNow();
        _exact.PromoteNow();
    }

    /// <summary>The regex tiers (ASCII translation, exact translation), for tests.</summary>
    internal (RegexTier Ascii, RegexTier Exact) Tiers => (_ascii, _exact);

    public override bool Evaluate(Transaction transaction, string input, bool capture)
    {
        if (_wholeValue)
        {
            return MatchWholeValue(transaction, input, capture);
        }
        if (SharedMask is { } mask && transaction.Rules.Literals is { } scanner)
        {
            if (!MayMatchScan(transaction.LiteralHitsFor(scanner).For(input, scanner, out var exact), exact, mask))
            {
                return false;
            }
        }
        else if (GapMasks.Length > 0 && transaction.Rules.Literals is { } gapScanner
            && !MeetsGapClauses(transaction.LiteralHitsFor(gapScanner).For(input, gapScanner, out var gapChars), gapChars.Folded))
        {
            return false;
        }
        else if ((Chars is not null && !Chars.MayMatch(CharMask.Of(input))) || (_prefilter is not null && !_prefilter.MayMatch(input)))
        {
            return false;
        }
        var repeated = RepeatedValues.Current;
        if (repeated.KnownNoMatch(input, this))
        {
            return false;
        }
        var regex = Ascii.IsValid(input) ? _ascii : _exact;
        try
        {
            if (!capture)
            {
                if (regex.IsMatch(input))
                {
                    return true;
                }
                repeated.NoMatch(input, this);
                return false;
            }
            if (regex.MatchWithGroups(input) is not { } match)
            {
                repeated.NoMatch(input, this);
                return false;
            }
            var groups = Math.Min(match.Groups.Count, 10);
            for (var i = 0; i < groups; i++)
            {
                transaction.SetCapture(i, match.Groups[i].Value);
            }
            return true;
        }
        catch (RegexMatchTimeoutException)
        {
            transaction.RecordRegexTimeout(Pattern);
            return false;
        }
    }

    /// <summary>
    /// <c>^.*$</c> as ModSecurity runs it (dot-all, <c>$</c> only at the very end, see <see cref="PcrePattern"/>):
    /// every value matches, whole.
    /// </summary>
    private static bool MatchWholeValue(Transaction transaction, string input, bool capture)
    {
        if (capture)
        {
            transaction.SetCapture(0, input);
        }
        return true;
    }
}
