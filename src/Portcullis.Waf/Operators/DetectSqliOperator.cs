using Portcullis.Waf.Detection;
using Portcullis.Waf.Transactions;

namespace Portcullis.Waf.Operators;

/// <summary><c>@detectSQLi</c>: our SQL-injection detector; with <c>capture</c>, TX:0 holds its fingerprint.</summary>
internal sealed class DetectSqliOperator : Operator
{
    public override bool Evaluate(Transaction transaction, string input, bool capture)
    {
        var repeated = RepeatedValues.Current;
        if (repeated.KnownNoMatch(input, this))
        {
            return false;
        }
        if (!SqlInjectionDetector.IsSqlInjection(input, out var fingerprint))
        {
            repeated.NoMatch(input, this);
            return false;
        }
        if (capture)
        {
            transaction.SetCapture(0, fingerprint);
        }
        return true;
    }
}
