using Portcullis.Waf.Transactions;

namespace Portcullis.Waf.Operators;

/// <summary>
/// A rule's test on one (transformed) value. Built once at load time from the operator's parameter; evaluation is
/// thread-safe and writes only to the transaction (captures into TX:0-9 when the rule has <c>capture</c>).
/// </summary>
internal abstract class Operator
{
    public abstract bool Evaluate(Transaction transaction, string input, bool capture);
}
