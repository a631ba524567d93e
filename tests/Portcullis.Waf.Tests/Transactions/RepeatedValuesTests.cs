using Portcullis.Waf.Rules;
using Portcullis.Waf.Transactions;
using Portcullis.Waf.Variables;

namespace Portcullis.Waf.Tests.Transactions;

/// <summary>
/// Repeated header strings (<see cref="RepeatedValues"/>) keep their literal scans and transformations past the
/// transaction, and so do the searches that found nothing in them: the verdicts must be the ones a fresh transaction
/// gives, on the same rule set and on another.
/// </summary>
public class RepeatedValuesTests
{
    [Fact]
    public void Keep_SameContentTwice_SameObject()
    {
        var first = new string("Mozilla/5.0 (X11; Linux x86_64) kept-test-1".AsSpan());
        var second = new string(first.AsSpan());

        var kept = RepeatedValues.Current.Keep(first);

        Assert.Same(first, kept);
        Assert.Same(first, RepeatedValues.Current.Keep(second));
        Assert.True(RepeatedValues.Current.IsKept(first));
        Assert.False(RepeatedValues.Current.IsKept(second));
    }

    [Fact]
    public void Keep_ValueOverTheLimit_NotKept()
    {
        var value = new string('a', RepeatedValues.MaxLength + 1);

        Assert.Same(value, RepeatedValues.Current.Keep(value));
        Assert.False(RepeatedValues.Current.IsKept(value));
    }

    [Fact]
    public void Keep_MoreThanTheLimit_StartsOverWithANewGeneration()
    {
        var repeated = RepeatedValues.Current;
        var early = repeated.Keep(new string("kept-test-early".AsSpan()));
        var generation = repeated.Generation;

        for (var i = 0; i <= RepeatedValues.MaxValues; i++)
        {
            repeated.Keep("kept-test-" + i);
        }

        Assert.NotEqual(generation, repeated.Generation);
        Assert.False(repeated.IsKept(early));
    }

    /// <summary>Makes this thread drop what it keeps, as when it is full, so the pooled caches start from nothing.</summary>
    private static void StartOver()
    {
        var repeated = RepeatedValues.Current;
        var generation = repeated.Generation;
        for (var i = 0; repeated.Generation == generation; i++)
        {
            repeated.Keep("start-over-" + i);
        }
    }

    private const string HeaderRules = """
        SecRuleEngine On
        SecRule REQUEST_HEADERS "@rx attack" "id:1,phase:1,pass,log,t:urlDecodeUni"
        SecRule REQUEST_HEADERS "@rx attack" "id:2,phase:1,pass,log,t:cmdLine"
        SecRule REQUEST_HEADERS "@rx attack" "id:3,phase:1,pass,log,t:lowercase"
        SecRule REQUEST_HEADERS "@rx attack" "id:4,phase:1,pass,log,multiMatch,t:urlDecodeUni,t:base64Decode"
        SecRule REQUEST_HEADERS "!@rx attack" "id:5,phase:1,pass,log,t:urlDecodeUni"
        SecRule REQUEST_HEADERS "@detectSQLi" "id:6,phase:1,pass,log"
        SecRule REQUEST_HEADERS:User-Agent "@rx ^[a-z]+$" "id:7,phase:1,pass,log"
        SecRule REQUEST_HEADERS:User-Agent "@rx ^fi" "id:8,phase:1,pass,log"
        """;

    [Theory]
    [InlineData("att%61ck", new[] { 1, 4, 5 })]
    [InlineData("at\"tack", new[] { 2, 5 })]
    [InlineData("ATTACK", new[] { 2, 3, 5 })]
    [InlineData("YXR0YWNr", new[] { 4, 5 })]
    [InlineData("fine", new[] { 5, 7, 8 })]
    [InlineData("finE", new[] { 5, 8 })]
    [InlineData("1' or '1'='1", new[] { 5, 6 })]
    public void Run_SameHeaderAgain_SameVerdict(string value, int[] expected)
    {
        var rules = RuleSetLoader.LoadText(HeaderRules, "test.conf");
        var headers = new[] { ("User-Agent", value), ("Accept", "text/html, */*") };

        var first = WafTestRequests.Run(rules, headers: headers).Ids().Order().ToArray();
        var between = WafTestRequests.Run(rules, headers: [("User-Agent", "fine"), ("Accept", "text/html, */*")]).Ids();
        // Built anew, as a new request's header is: only the kept copy carries the earlier work.
        var again = WafTestRequests.Run(rules, headers: [("User-Agent", new string(value.AsSpan())), ("Accept", "text/html, */*")]);

        Assert.Equal(expected, first);
        Assert.Equal([5, 7, 8], between.Order());
        Assert.Equal(expected, again.Ids().Order());
    }

    [Fact]
    public void Run_SameHeaderUnderAnotherRuleSet_ScannedForThatRuleSet()
    {
        // The first rule set's scan of the value finds none of its literals; the second's must still find "bar" (each
        // rule set has one literal, so both scanners number theirs 0).
        var foo = RuleSetLoader.LoadText("""
            SecRuleEngine On
            SecRule REQUEST_HEADERS "@rx foo[0-9]+x" "id:1,phase:1,pass,log,t:lowercase"
            """, "foo.conf");
        var bar = RuleSetLoader.LoadText("""
            SecRuleEngine On
            SecRule REQUEST_HEADERS "@rx bar[0-9]+x" "id:2,phase:1,pass,log,t:lowercase"
            """, "bar.conf");
        var headers = new[] { ("X-Kept-Test", "zzz-bar42x-zzz") };
        StartOver();

        Assert.Empty(WafTestRequests.Run(foo, headers: headers).Ids());
        Assert.Equal([2], WafTestRequests.Run(bar, headers: headers).Ids());
        Assert.Empty(WafTestRequests.Run(foo, headers: headers).Ids());
    }

    private const string NameRules = """
        SecRuleEngine On
        SecRequestBodyAccess On
        SecRule ARGS_NAMES "@rx attack" "id:1,phase:2,pass,log,t:urlDecodeUni"
        SecRule ARGS_NAMES "@rx attack" "id:2,phase:2,pass,log,t:lowercase"
        SecRule ARGS "@rx attack" "id:3,phase:2,pass,log"
        """;

    [Fact]
    public void Run_ArgumentNames_KeptAcrossRequests_ValuesNot()
    {
        var rules = RuleSetLoader.LoadText(NameRules, "test.conf");
        var form = new[] { ("Content-Type", "application/x-www-form-urlencoded") };

        var first = WafTestRequests.Run(rules, uri: "/?kept_query_name=1", method: "POST", headers: form, body: "kept_form_name=value-1");
        var second = WafTestRequests.Run(rules, uri: "/?kept_query_name=2", method: "POST", headers: form, body: "kept_form_name=value-1");

        Assert.Same(Item(first, VariableName.ArgsGet).Key, Item(second, VariableName.ArgsGet).Key);
        Assert.Same(Item(first, VariableName.ArgsPost).Key, Item(second, VariableName.ArgsPost).Key);
        Assert.True(RepeatedValues.Current.IsKept(Item(second, VariableName.ArgsPost).Key));
        // Values change from request to request: the same content is still a new string.
        Assert.NotSame(Item(first, VariableName.ArgsPost).Value, Item(second, VariableName.ArgsPost).Value);
        Assert.False(RepeatedValues.Current.IsKept(Item(second, VariableName.ArgsPost).Value));
    }

    [Theory]
    [InlineData("att%2561ck", new[] { 1 })]
    [InlineData("ATTACK", new[] { 2 })]
    [InlineData("attack", new[] { 1, 2 })]
    [InlineData("fine", new int[0])]
    public void Run_SameArgumentNameAgain_SameVerdict(string name, int[] expected)
    {
        var rules = RuleSetLoader.LoadText(NameRules, "test.conf");
        var form = new[] { ("Content-Type", "application/x-www-form-urlencoded") };

        var first = WafTestRequests.Run(rules, method: "POST", headers: form, body: name + "=1").Ids().Order().ToArray();
        var between = WafTestRequests.Run(rules, method: "POST", headers: form, body: "fine=attack").Ids();
        var again = WafTestRequests.Run(rules, uri: "/?" + name + "=2", method: "POST", headers: form, body: name + "=3");

        Assert.Equal(expected, first);
        Assert.Equal([3], between);
        Assert.Equal(expected, again.Ids().Order());
    }

    private static KeyValuePair<string, string> Item(Transaction tx, VariableName collection) => Assert.Single(tx.Variables.ItemsOf(collection).ToArray());
}
