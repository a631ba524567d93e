using Portcullis.Waf.Transactions;

namespace Portcullis.Waf.Operators;

/// <summary><c>@unconditionalMatch</c> (always) and <c>@noMatch</c> (never).</summary>
internal sealed class ConstantOperator(bool result) : Operator
{
    public override bool Evaluate(Transaction transaction, string input, bool capture)
    {
        if (result && capture)
        {
            transaction.SetCapture(0, input);
        }
        return result;
    }
}
