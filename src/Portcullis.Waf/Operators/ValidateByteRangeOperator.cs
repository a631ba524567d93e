using Portcullis.Waf.Operators.Matching;
using Portcullis.Waf.Transactions;

namespace Portcullis.Waf.Operators;

/// <summary><c>@validateByteRange 32-126,9</c>: matches when the input holds a byte outside the allowed ranges.</summary>
internal sealed class ValidateByteRangeOperator(string parameter) : Operator
{
    private readonly ByteRangeSet _allowed = ByteRangeSet.Parse(parameter);

    public override bool Evaluate(Transaction transaction, string input, bool capture)
    {
        var index = _allowed.IndexOfFirstOutside(input);
        if (index < 0)
        {
            return false;
        }
        if (capture)
        {
            transaction.SetCapture(0, input[index].ToString());
        }
        return true;
    }
}
