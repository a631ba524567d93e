using System.Text;
using System.Text.RegularExpressions;
using Portcullis.Waf.Operators.Prefilter;
using Portcullis.Waf.Transactions;

namespace Portcullis.Waf.Operators;

/// <summary>
/// <c>@rx PATTERN</c>: PCRE as ModSecurity runs it (byte mode, see <see cref="PcrePattern"/>), compiled once.
/// With <c>capture</c>, TX:0 holds the match and TX:1-9 the groups. A match that runs past the timeout counts as no
/// match and is recorded on the transaction (ModSecurity v2 likewise treats PCRE's match-limit error as no match).
/// <para>Two measured choices keep it fast (docs/benchmarks.md):</para>
/// <list type="bullet">
/// <item>When every match must contain one of a few literals (<see cref="RegexPrefilter"/>: required literals, or
/// command words once CRS's evasion gaps are taken out), a vectorised search for them runs first, and the regex only
/// on values that hold one: most values of benign traffic hold none.</item>
/// <item>Most values are ASCII. For them <c>\b</c> can be .NET's own (PCRE's byte-mode word characters are ASCII;
/// for other input the lookaround spelling keeps Latin-1 letters out of "word").</item>
/// </list>
/// Measured and rejected: RegexOptions.Compiled (its JIT on first use outlasts the match timeout for CRS's largest
/// patterns, and on the costliest ones it was no faster than the interpreter); RegexOptions.NonBacktracking for the
/// large patterns it supports (the rule set grew from 9 MiB to 285 MiB and took 3 s longer to load, for a gain lost
/// in the noise of a whole transaction).
/// </summary>
internal sealed class RxOperator : Operator
{
    private readonly Regex _exact;
    private readonly Regex _ascii;
    private readonly RegexPrefilter? _prefilter;

    public RxOperator(string pattern, OperatorContext context)
    {
        Pattern = pattern;
        var exact = PcrePattern.Translate(pattern);
        var ascii = PcrePattern.Translate(pattern, asciiInput: true);
        _exact = PcrePattern.FromTranslation(exact, context.RegexTimeout);
        // The translations differ only when the pattern has \b or \B; otherwise one regex serves both.
        _ascii = ascii == exact ? _exact : PcrePattern.FromTranslation(ascii, context.RegexTimeout);
        _prefilter = RegexPrefilter.For(pattern);
    }

    public string Pattern { get; }

    public override bool Evaluate(Transaction transaction, string input, bool capture)
    {
        if (_prefilter is not null && !_prefilter.MayMatch(input))
        {
            return false;
        }
        var regex = Ascii.IsValid(input) ? _ascii : _exact;
        try
        {
            if (!capture)
            {
                return regex.IsMatch(input);
            }
            var match = regex.Match(input);
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
}
