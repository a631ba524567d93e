using System.Text.RegularExpressions;
using Portcullis.Waf.Transactions;

namespace Portcullis.Waf.Operators;

/// <summary>
/// <c>@rx PATTERN</c>: PCRE as ModSecurity runs it (byte mode, see <see cref="PcrePattern"/>), compiled once.
/// With <c>capture</c>, TX:0 holds the match and TX:1-9 the groups. A match that runs past the timeout counts as no
/// match and is recorded on the transaction (ModSecurity v2 likewise treats PCRE's match-limit error as no match).
/// </summary>
internal sealed class RxOperator : Operator
{
    private readonly Regex _regex;

    public RxOperator(string pattern, OperatorContext context)
    {
        // Interpreted, not RegexOptions.Compiled: compiled regexes JIT their code on first use, which for CRS's largest
        // patterns takes longer than the match timeout, so the first requests after a start (and a reload) saw false
        // negatives and took seconds. The choice per pattern (compiled, non-backtracking, prefilter) is measured work
        // for later; interpreted is correct from the first request.
        _regex = PcrePattern.Compile(pattern, context.RegexTimeout);
        Pattern = pattern;
    }

    public string Pattern { get; }

    public override bool Evaluate(Transaction transaction, string input, bool capture)
    {
        try
        {
            if (!capture)
            {
                return _regex.IsMatch(input);
            }
            var match = _regex.Match(input);
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
