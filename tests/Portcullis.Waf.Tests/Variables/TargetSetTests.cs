using Portcullis.Waf.Rules;
using Portcullis.Waf.Tests.Transactions;

namespace Portcullis.Waf.Tests.Variables;

/// <summary>Rules that share a target set read one collected list per transaction; it must follow the collections.</summary>
public sealed class TargetSetTests
{
    private const string Rules = """
        SecRuleEngine On
        SecRequestBodyAccess On
        SecRule REQUEST_HEADERS:Content-Type "@rx ^application/x-www-form-urlencoded" "id:10,phase:1,pass,nolog,ctl:requestBodyProcessor=URLENCODED"
        SecRule ARGS|!ARGS:skip "@rx attack" "id:1,phase:1,pass,log"
        SecRule ARGS|!ARGS:skip "@rx attack" "id:2,phase:2,pass,log"
        SecRule ARGS|!ARGS:skip "@rx attack" "id:3,phase:2,pass,log,ctl:ruleRemoveTargetById=4;ARGS:posted"
        SecRule ARGS|!ARGS:skip "@rx attack" "id:4,phase:2,pass,log"
        SecRule TX:x|ARGS "@eq 1" "id:20,phase:2,pass,nolog"
        """;

    [Fact]
    public void Build_SameTargetsAndExclusions_ShareOneSet()
    {
        var rules = RuleSetLoader.LoadText(Rules, "test.conf");

        var shared = rules.Phases.SelectMany(p => p.Rules).Where(r => r.Id is 1 or 2 or 3 or 4).Select(r => r.TargetSet).ToList();

        Assert.All(shared, s => Assert.NotNull(s));
        Assert.Single(shared.Distinct());
        // TX changes under the rules' own setvar: a set that reads it is never shared.
        Assert.Null(rules.Phases[2].Rules.Single(r => r.Id == 20).TargetSet);
        Assert.NotSame(shared[0], rules.Phases[1].Rules.Single(r => r.Id == 10).TargetSet);
    }

    [Fact]
    public void Run_BodyArgumentsArriveInPhase2_SharedListSeesThem()
    {
        var tx = WafTestRequests.Run(Rules, "/?q=fine", "POST", [("Content-Type", "application/x-www-form-urlencoded")], "posted=attack");

        // Phase 1 collected ARGS before the body was parsed; phase 2 must not reuse that list.
        Assert.DoesNotContain(1, tx.Ids());
        Assert.Contains(2, tx.Ids());
    }

    [Fact]
    public void Run_RuntimeTargetRemoval_BypassesTheSharedList()
    {
        var tx = WafTestRequests.Run(Rules, "/?q=fine", "POST", [("Content-Type", "application/x-www-form-urlencoded")], "posted=attack");

        Assert.Contains(3, tx.Ids());
        Assert.DoesNotContain(4, tx.Ids()); // ctl removed ARGS:posted from rule 4 for this transaction only
    }

    [Fact]
    public void Run_ExclusionInTheSet_StillExcludes()
    {
        var tx = WafTestRequests.Run(Rules, "/?skip=attack");

        Assert.Empty(tx.Ids());
    }

    // Rules on one shared list are skipped whole when no value, transformed by the rule's own pipeline, holds one of
    // the rule's prefilter literals (SelectionLiterals): the answer must be the one each value would have given.
    private const string PipelineRules = """
        SecRuleEngine On
        SecRule ARGS "@rx attack" "id:31,phase:1,pass,log"
        SecRule ARGS "@rx attack" "id:32,phase:1,pass,log,t:urlDecodeUni"
        SecRule ARGS "@rx attack" "id:33,phase:1,pass,log,t:urlDecodeUni"
        SecRule ARGS "!@rx attack" "id:34,phase:1,pass,log,t:urlDecodeUni"
        SecRule ARGS "@rx attack" "id:35,phase:1,pass,log,t:lowercase"
        """;

    [Fact]
    public void Run_LiteralOnlyAfterOnePipeline_OnlyThoseRulesMatch()
    {
        // The query is decoded once while parsing: b is "att%61ck", which only t:urlDecodeUni turns into "attack".
        var tx = WafTestRequests.Run(PipelineRules, "/?a=fine&b=att%2561ck");

        Assert.Equal([32, 33, 34], tx.Ids().Order());
    }

    [Fact]
    public void Run_LiteralInTheLastValueOnly_RulesStillMatch()
    {
        var tx = WafTestRequests.Run(PipelineRules, "/?a=fine&b=good&c=ATTACK");

        // 34's negation holds for the values without "attack", 35 finds it once lowercased.
        Assert.Equal([34, 35], tx.Ids().Order());
    }

    // From 48 values on, a pipeline's union starts from the values as collected and adds only the values the pipeline
    // changes other than by lowercasing (SelectionLiterals.OverCollected): the answers must stay the same.
    private const string LongPipelineRules = PipelineRules + """

        SecRule ARGS "@rx attack" "id:36,phase:1,pass,log,t:cmdLine"
        SecRule ARGS "@rx attack" "id:37,phase:1,pass,log,t:urlDecodeUni,t:lowercase"
        """;

    private static string LongQuery(string extra) => "/?" + string.Join('&', Enumerable.Range(0, 60).Select(i => $"f{i}=fine+value+{i}")) + "&" + extra;

    [Fact]
    public void Run_LongSelection_LiteralOnlyAfterOnePipeline_OnlyThoseRulesMatch()
    {
        var tx = WafTestRequests.Run(LongPipelineRules, LongQuery("b=att%2561ck"));

        Assert.Equal([32, 33, 34, 37], tx.Ids().Order());
    }

    [Fact]
    public void Run_LongSelection_UppercaseLiteral_PipelinesThatLowercaseMatch()
    {
        // "ATTACK" is only lowercased by t:lowercase and t:cmdLine: its scan is the collected value's.
        var tx = WafTestRequests.Run(LongPipelineRules, LongQuery("c=ATTACK"));

        Assert.Equal([34, 35, 36, 37], tx.Ids().Order());
    }

    [Fact]
    public void Run_LongSelection_LiteralOnlyOnceCmdLineDeletesAQuote_Matches()
    {
        var tx = WafTestRequests.Run(LongPipelineRules, LongQuery("d=at%22tack"));

        Assert.Equal([34, 36], tx.Ids().Order());
    }

    [Fact]
    public void Run_LongSelection_NoValueHoldsTheLiteral_OnlyTheNegatedRuleMatches()
    {
        var tx = WafTestRequests.Run(LongPipelineRules, LongQuery("e=good"));

        Assert.Equal([34], tx.Ids());
    }

    [Fact]
    public void Run_NoValueHoldsTheLiteral_OnlyTheNegatedRuleMatches()
    {
        var tx = WafTestRequests.Run(PipelineRules, "/?a=fine&b=good");

        Assert.Equal([34], tx.Ids());
    }
}
