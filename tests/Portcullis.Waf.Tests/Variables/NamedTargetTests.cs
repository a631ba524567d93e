using Portcullis.Waf.Rules;
using Portcullis.Waf.Tests.Transactions;

namespace Portcullis.Waf.Tests.Variables;

/// <summary>
/// A rule reading one named item as it is (TX:x, REQUEST_HEADERS:X-A) looks it up directly (<see cref="NamedTargets"/>);
/// it must answer as the general collection of targets does, and leave it whenever that one lookup is not the whole story.
/// </summary>
public sealed class NamedTargetTests
{
    private const string Rules = """
        SecRuleEngine On
        SecAction "id:1,phase:1,pass,nolog,setvar:tx.level=2"
        SecRule TX:LEVEL "@lt 3" "id:2,phase:1,pass,log,msg:'%{MATCHED_VAR_NAME}=%{MATCHED_VAR}'"
        SecRule TX:level "@lt 2" "id:3,phase:1,pass,log"
        SecRule TX:missing "@eq 0" "id:4,phase:1,pass,log"
        SecRule TX:level "!@eq 2" "id:5,phase:1,pass,log"
        SecRule TX:level "@eq 2" "id:6,phase:1,pass,log,ctl:ruleRemoveTargetById=7;TX:level"
        SecRule TX:level "@eq 2" "id:7,phase:1,pass,log"
        SecRule REQUEST_HEADERS:X-A "@streq second" "id:8,phase:1,pass,log,msg:'%{MATCHED_VAR_NAME}=%{MATCHED_VAR}'"
        SecRule TX:level "@eq 2" "id:9,phase:1,pass,nolog,skipAfter:END"
        SecAction "id:10,phase:1,pass,log"
        SecMarker END
        """;

    [Fact]
    public void Build_OneLiteralKeyAsItIs_IsNamed()
    {
        var rules = RuleSetLoader.LoadText(Rules + """

            SecRule TX:level "@eq 2" "id:20,phase:2,pass,t:lowercase"
            SecRule TX:/lev/ "@eq 2" "id:21,phase:2,pass"
            SecRule &TX:level "@eq 1" "id:22,phase:2,pass"
            SecRule TX:level|TX:other "@eq 2" "id:23,phase:2,pass"
            SecRule ARGS:a "@eq 2" "id:24,phase:2,pass"
            """, "test.conf");

        Rule Find(int phase, int id) => rules.Phases[phase].Rules.Single(r => r.Id == id);

        Assert.NotNull(Find(1, 2).NamedTarget);
        Assert.NotNull(Find(1, 8).NamedTarget);
        Assert.All([20, 21, 22, 23, 24], id => Assert.Null(Find(2, id).NamedTarget));
    }

    [Fact]
    public void Run_NamedTx_MatchesAndSetsMatchedVarLikeTheGeneralPath()
    {
        var tx = WafTestRequests.Run(Rules);

        // 4: a missing item selects nothing, so the rule does not match (whatever its operator); 8: no X-A header.
        Assert.Equal([2, 6], tx.Ids().Where(id => id < 9).Order());
        Assert.Equal("TX:level=2", tx.MatchedRules.Single(m => m.Id == 2).Message);
    }

    [Fact]
    public void Run_RuntimeTargetRemoval_TakesTheNamedItemAway()
    {
        var tx = WafTestRequests.Run(Rules);

        Assert.DoesNotContain(7, tx.Ids());
    }

    [Fact]
    public void Run_RepeatedHeader_EveryOccurrenceIsTested()
    {
        var tx = WafTestRequests.Run(Rules, headers: [("X-A", "first"), ("X-A", "second")]);

        Assert.Equal("REQUEST_HEADERS:X-A=second", tx.MatchedRules.Single(m => m.Id == 8).Message);
    }

    [Fact]
    public void Run_NamedGateMatches_SkipAfterJumpsPastTheMarker()
    {
        var tx = WafTestRequests.Run(Rules);

        Assert.DoesNotContain(10, tx.Ids());
    }
}
