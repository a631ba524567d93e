using System.Buffers;
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
/// <item>When every match must contain one of a few literals (<see cref="RequiredLiterals"/>), a vectorised search for
/// them runs first, and the regex only on values that hold one: most values of benign traffic hold none.</item>
/// <item>Most values are ASCII. For them <c>\b</c> can be .NET's own (PCRE's byte-mode word characters are ASCII;
/// for other input the lookaround spelling keeps Latin-1 letters out of "word").</item>
/// <item>For ASCII input and no capture, large patterns run on .NET's non-backtracking engine when it supports
/// them: CRS's big alternations (the unix-command lists of 932xxx) cost the backtracking interpreter 10-30 µs per
/// short value, because it tries every branch at every position; the lazily built DFA does not.</item>
/// </list>
/// Interpreted, not RegexOptions.Compiled: compiled regexes JIT their code on first use, which for CRS's largest
/// patterns takes longer than the match timeout (false negatives and seconds of delay after every start), and
/// measured on CRS's costliest patterns it was no faster than the interpreter.
/// </summary>
internal sealed class RxOperator : Operator
{
    /// <summary>Translated patterns at least this long go to the non-backtracking engine (when it supports them).</summary>
    private const int NonBacktrackingMinLength = 256;

    private readonly Regex _exact;
    private readonly Regex _ascii;
    private readonly Regex _asciiFast;
    private readonly SearchValues<string>? _required;

    public RxOperator(string pattern, OperatorContext context)
    {
        Pattern = pattern;
        _exact = PcrePattern.Compile(pattern, context.RegexTimeout);
        _ascii = PcrePattern.HasWordBoundary(pattern) ? PcrePattern.Compile(pattern, context.RegexTimeout, asciiInput: true) : _exact;
        _asciiFast = _ascii.ToString().Length >= NonBacktrackingMinLength ? NonBacktracking(pattern, context) ?? _ascii : _ascii;
        if (RequiredLiterals.Analyze(pattern) is { } literals)
        {
            _required = SearchValues.Create([.. literals], StringComparison.OrdinalIgnoreCase);
        }
    }

    public string Pattern { get; }

    public override bool Evaluate(Transaction transaction, string input, bool capture)
    {
        if (_required is not null && input.AsSpan().IndexOfAny(_required) < 0)
        {
            return false;
        }
        var ascii = Ascii.IsValid(input);
        try
        {
            if (!capture)
            {
                return (ascii ? _asciiFast : _exact).IsMatch(input);
            }
            var match = (ascii ? _ascii : _exact).Match(input);
            if (!match.Success)
            {
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

    private static Regex? NonBacktracking(string pattern, OperatorContext context)
    {
        try
        {
            return PcrePattern.Compile(pattern, context.RegexTimeout, RegexOptions.NonBacktracking, asciiInput: true);
        }
        catch (NotSupportedException)
        {
            // Lookarounds, atomic groups, back-references: the backtracking engine it is.
            return null;
        }
    }
}
