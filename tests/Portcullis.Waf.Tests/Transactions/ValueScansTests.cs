using Portcullis.Waf.Operators;
using Portcullis.Waf.Rules;
using Portcullis.Waf.Transactions;
using Portcullis.Waf.Variables;

namespace Portcullis.Waf.Tests.Transactions;

/// <summary>
/// Over a list of <see cref="SelectionLiterals.ScansFrom"/> values or more, a prefiltered rule tests each value's scan
/// before its operator (<see cref="ValueScans"/>): the answers must be the operator's, at every length the scans'
/// storage grows through.
/// </summary>
public sealed class ValueScansTests
{
    private const string Rules = """
        SecRuleEngine On
        SecRule ARGS "@rx attack" "id:81,phase:1,pass,log,t:lowercase"
        SecRule ARGS "@rx attack" "id:82,phase:1,pass,log,t:urlDecodeUni"
        SecRule ARGS "@pm attack" "id:83,phase:1,pass,log"
        SecRule ARGS "!@rx attack" "id:84,phase:1,pass,log"
        """;

    public static TheoryData<int> Lengths => [2, 31, 32, 64, 65, 200];

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Run_UppercaseLiteral_TheLowercasingRuleMatchesIt(int count)
    {
        var tx = WafTestRequests.Run(Rules, Query(count, "z=ATTACK"));

        // @pm compares without case.
        Assert.Equal([81, 83, 84], tx.Ids().Order());
        Assert.Equal("ARGS:z", tx.MatchedRules.Single(m => m.Id == 81).VariableName);
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Run_LiteralOnlyAfterDecoding_TheDecodingRuleMatchesIt(int count)
    {
        // Decoded once by the query parser to "%61ttack", then by t:urlDecodeUni.
        var tx = WafTestRequests.Run(Rules, Query(count, "z=%2561ttack"));

        Assert.Equal([82, 84], tx.Ids().Order());
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Run_LiteralAsSent_EveryRuleMatchesIt(int count)
    {
        var tx = WafTestRequests.Run(Rules, Query(count, "z=an+attack+here"));

        Assert.Equal([81, 82, 83, 84], tx.Ids().Order());
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Run_NoValueHoldsTheLiteral_OnlyTheNegatedRuleMatches(int count)
    {
        var tx = WafTestRequests.Run(Rules, Query(count, "z=good"));

        Assert.Equal([84], tx.Ids());
    }

    [Theory]
    [InlineData(63)]
    [InlineData(64)]
    [InlineData(65)]
    [InlineData(1000)]
    public void Fill_NewStorage_KeepsEveryValuesScan(int count)
    {
        var tx = WafTestRequests.Start(RuleSetLoader.LoadText(Rules, "test.conf"));
        var values = Enumerable.Range(0, count).Select(i => new VariableValue(VariableName.Args, $"f{i}", i == count - 1 ? "an attack" : "fine")).ToList();
        var rule81 = tx.Rules.Phases[(int)Phase.RequestHeaders].Rules[0];
        var scans = new ValueScans();

        scans.Fill(tx, values, [], null, tx.Rules.Literals!, collected: null);

        Assert.Equal(81, rule81.Id);
        Assert.All(Enumerable.Range(0, count - 1), i => Assert.False(scans.MayMatch(i, rule81.Operator!, tx.Rules.Literals!)));
        Assert.True(scans.MayMatch(count - 1, rule81.Operator!, tx.Rules.Literals!));
    }

    private static string Query(int count, string last) =>
        "/?" + string.Concat(Enumerable.Range(0, count - 1).Select(i => $"f{i}=fine+value+{i}&")) + last;
}
