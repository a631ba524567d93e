namespace Portcullis.Waf.Tests.Transactions;

/// <summary>
/// A multiMatch rule on a shared list is skipped whole when no string its operator would see (each value and every
/// step output) holds one of its literals (SelectionLiterals.StepsUnion): the answers must be each value's.
/// </summary>
public sealed class MultiMatchUnionTests
{
    // "YXR0YWNr" is base64 for "attack": only the middle step's output holds the literal.
    private const string Rules = """
        SecRuleEngine On
        SecRule ARGS "@rx attack" "id:51,phase:1,pass,log,multiMatch,t:base64Decode,t:hexEncode"
        SecRule ARGS "@rx attack" "id:52,phase:1,pass,log,t:base64Decode,t:hexEncode"
        SecRule ARGS "@rx attack" "id:53,phase:1,pass,log,multiMatch,t:lowercase"
        SecRule ARGS "@rx attack" "id:54,phase:1,pass,log,multiMatch,t:urlDecodeUni,t:base64Decode"
        """;

    [Theory]
    [InlineData(2)]
    [InlineData(60)]
    public void Run_LiteralOnlyInAMiddleStep_MultiMatchMatches(int count)
    {
        var tx = WafTestRequests.Run(Rules, Query(count, "b=YXR0YWNr"));

        Assert.Equal([51, 54], tx.Ids().Order());
    }

    [Theory]
    [InlineData(2)]
    [InlineData(60)]
    public void Run_UppercaseLiteral_OnlyTheLowercasedStepMatches(int count)
    {
        // "ATTACK" is only lowercased by t:lowercase: its steps are not run for the union, and the rule must still match.
        var tx = WafTestRequests.Run(Rules, Query(count, "c=ATTACK"));

        Assert.Equal([53], tx.Ids());
    }

    [Theory]
    [InlineData(2)]
    [InlineData(60)]
    public void Run_LiteralOnlyAfterDecoding_MultiMatchMatches(int count)
    {
        // "YXR0YWNr" URL-encoded: decoded once by the query parser to "YXR0%59WNr", then by t:urlDecodeUni.
        var tx = WafTestRequests.Run(Rules, Query(count, "d=YXR0%2559WNr"));

        Assert.Equal([54], tx.Ids());
    }

    [Theory]
    [InlineData(2)]
    [InlineData(60)]
    public void Run_NoStringHoldsTheLiteral_NothingMatches(int count)
    {
        var tx = WafTestRequests.Run(Rules, Query(count, "e=good"));

        Assert.Empty(tx.Ids());
    }

    [Fact]
    public void Run_RulesShareACachedDecode_BothMatch()
    {
        // Two rules decode the same values over a long list: the cached outputs must give both their answer.
        const string shared = """
            SecRuleEngine On
            SecRule ARGS "@rx attack" "id:61,phase:1,pass,log,multiMatch,t:base64Decode"
            SecRule ARGS "@rx attack" "id:62,phase:1,pass,log,multiMatch,t:urlDecodeUni,t:base64Decode,t:lowercase"
            """;

        Assert.Equal([61, 62], WafTestRequests.Run(shared, Query(60, "b=YXR0YWNr")).Ids().Order());
        Assert.Empty(WafTestRequests.Run(shared, Query(60, "b=Z29vZA")).Ids());
    }

    private static string Query(int count, string extra) =>
        "/?" + string.Join('&', Enumerable.Range(0, count - 1).Select(i => $"f{i}=fine+value+{i}")) + "&" + extra;
}
