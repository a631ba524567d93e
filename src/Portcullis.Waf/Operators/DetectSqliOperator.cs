using Portcullis.Waf.Detection;
using Portcullis.Waf.Transactions;

namespace Portcullis.Waf.Operators;

/// <summary><c>@detectSQLi</c>: our SQL-injection detector; with <c>capture</c>, TX:0 holds its fingerprint.</summary>
internal sealed class DetectSqliOperator : Operator
{
    public override bool Evaluate(Transaction transaction, string input, bool capture)
    {
        if (!SqlInjectionDetector.IsSqlInjection(input, out var fingerprint))
        {
            return false;
        }
        if (capture)
        {
            transaction.SetCapture(0, fingerprint);
        }
        return true;
    }
}
