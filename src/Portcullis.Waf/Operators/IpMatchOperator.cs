using Portcullis.Waf.Operators.Matching;
using Portcullis.Waf.Transactions;

namespace Portcullis.Waf.Operators;

/// <summary><c>@ipMatch 10.0.0.0/8,::1</c>: the input is an address inside one of the listed addresses or networks.</summary>
internal sealed class IpMatchOperator(string parameter) : Operator
{
    private readonly IpMatcher _matcher = IpMatcher.Parse(parameter);

    public override bool Evaluate(Transaction transaction, string input, bool capture) => _matcher.Matches(input);
}
