using Portcullis.Waf.Operators.Matching;
using Portcullis.Waf.Transactions;

namespace Portcullis.Waf.Operators;

/// <summary><c>@validateUrlEncoding</c>: matches when a <c>%</c> escape is malformed (non-hex or cut short).</summary>
internal sealed class ValidateUrlEncodingOperator : Operator
{
    public override bool Evaluate(Transaction transaction, string input, bool capture) =>
        UrlEncodingValidator.Validate(input) != UrlEncodingResult.Valid;
}
