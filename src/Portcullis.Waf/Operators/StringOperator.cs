using Portcullis.Waf.Macros;
using Portcullis.Waf.Transactions;

namespace Portcullis.Waf.Operators;

/// <summary>
/// The byte-wise (case-sensitive, ordinal) string tests: <c>@streq</c>, <c>@contains</c>, <c>@beginsWith</c>,
/// <c>@endsWith</c>, and <c>@within</c> (the input is found inside the parameter). Parameters may hold macros.
/// With <c>capture</c>, TX:0 holds the matched text, as ModSecurity sets it.
/// </summary>
internal sealed class StringOperator : Operator
{
    private readonly MacroText _parameter;
    private readonly Func<string, string, bool> _test;
    private readonly bool _captureParameter;

    private StringOperator(string parameter, Func<string, string, bool> test, bool captureParameter)
    {
        _parameter = MacroText.Parse(parameter);
        _test = test;
        _captureParameter = captureParameter;
    }

    public static StringOperator StrEq(string parameter) => new(parameter, static (input, p) => string.Equals(input, p, StringComparison.Ordinal), false);

    public static StringOperator Contains(string parameter) => new(parameter, static (input, p) => input.Contains(p, StringComparison.Ordinal), true);

    public static StringOperator BeginsWith(string parameter) => new(parameter, static (input, p) => input.StartsWith(p, StringComparison.Ordinal), true);

    public static StringOperator EndsWith(string parameter) => new(parameter, static (input, p) => input.EndsWith(p, StringComparison.Ordinal), true);

    // ModSecurity v2 msre_op_within: an empty input never matches.
    public static StringOperator Within(string parameter) => new(parameter, static (input, p) => input.Length > 0 && p.Contains(input, StringComparison.Ordinal), false);

    public override bool Evaluate(Transaction transaction, string input, bool capture)
    {
        var parameter = _parameter.Expand(transaction);
        if (!_test(input, parameter))
        {
            return false;
        }
        if (capture)
        {
            transaction.SetCapture(0, _captureParameter ? parameter : input);
        }
        return true;
    }
}
