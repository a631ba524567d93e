using Portcullis.Waf.Macros;
using Portcullis.Waf.Rules;
using Portcullis.Waf.Transactions;

namespace Portcullis.Waf.Operators;

/// <summary>
/// <c>@eq @ge @gt @le @lt N</c>: both sides read as integers the way ModSecurity does (atoi: "5abc" is 5, "abc" is 0).
/// The parameter may hold macros (<c>@ge %{tx.inbound_anomaly_score_threshold}</c>).
/// </summary>
internal sealed class NumericOperator : Operator
{
    private readonly MacroText _parameter;
    private readonly long _constant;
    private readonly Func<long, long, bool> _compare;

    public NumericOperator(string parameter, Func<long, long, bool> compare)
    {
        _parameter = MacroText.Parse(parameter);
        _constant = Numbers.ParseLeadingInteger(parameter);
        _compare = compare;
    }

    /// <summary>The right-hand side, with its macros.</summary>
    public MacroText Parameter => _parameter;

    public override bool Evaluate(Transaction transaction, string input, bool capture)
    {
        var right = _parameter.HasMacros ? Numbers.ParseLeadingInteger(_parameter.Expand(transaction)) : _constant;
        return _compare(Numbers.ParseLeadingInteger(input), right);
    }
}
