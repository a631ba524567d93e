using Portcullis.Waf.Transactions;

namespace Portcullis.Waf.Tests.Transactions;

/// <summary>The per-rule timing behind <c>--profile-waf … --rules</c> (<see cref="RuleTimings"/>).</summary>
public sealed class RuleTimingsTests
{
    [Fact]
    public void Enabled_EvaluatedAndPassedOverRules_TimedUnderTheirIds()
    {
        // Ids no other test uses: the totals are process-wide.
        const string Rules = """
            SecRuleEngine On
            SecRule ARGS "@rx attack" "id:9917001,phase:1,pass,log"
            SecRule ARGS "@rx absent" "id:9917002,phase:1,pass,log"
            SecRule REQUEST_METHOD "@streq GET" "id:9917003,phase:1,pass,log"
            """;
        RuleTimings.Enabled = true;
        try
        {
            WafTestRequests.Run(Rules, "/?a=an+attack");
        }
        finally
        {
            RuleTimings.Enabled = false;
        }

        var timed = RuleTimings.Drain().Where(t => t.RuleId is >= 9917001 and <= 9917003).ToDictionary(t => t.RuleId);

        Assert.Equal(1, timed[9917001].Evaluations);
        Assert.Equal(1, timed[9917003].Evaluations);
        // No value holds "absent": the dispatch answers for it, and it is not evaluated.
        Assert.Equal(0, timed[9917002].Evaluations);
        Assert.True(timed[9917002].DispatchUs > 0);
        Assert.DoesNotContain(RuleTimings.Drain(), t => t.RuleId == 9917001);
    }

    [Fact]
    public void Disabled_NothingTimed()
    {
        WafTestRequests.Run("SecRuleEngine On\nSecRule ARGS \"@rx x\" \"id:9917011,phase:1,pass,log\"", "/?a=x");

        Assert.DoesNotContain(RuleTimings.Drain(), t => t.RuleId == 9917011);
    }
}
