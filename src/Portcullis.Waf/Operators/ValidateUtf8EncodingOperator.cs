using Portcullis.Waf.Operators.Matching;
using Portcullis.Waf.Transactions;

namespace Portcullis.Waf.Operators;

/// <summary><c>@validateUtf8Encoding</c>: matches when the bytes are not valid UTF-8 (short, invalid, overlong).</summary>
internal sealed class ValidateUtf8EncodingOperator : Operator
{
    public override bool Evaluate(Transaction transaction, string input, bool capture) =>
        Utf8EncodingValidator.Validate(input) != Utf8EncodingResult.Valid;
}
