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
    public void Run_BodyArrivesInPhase2_SetWithASingleValueSeesIt()
    {
        // QUERY_STRING|REQUEST_BODY is collected in phase 1 without the body. In between, rules that match and write TX
        // (which a shared list never reads) must not make the list look stale, and the body read afterwards must: with no
        // body processor only the single REQUEST_BODY changes, no collection.
        const string rules = """
            SecRuleEngine On
            SecRequestBodyAccess On
            SecAction "id:10,phase:1,pass,nolog,ctl:forceRequestBodyVariable=On"
            SecRule QUERY_STRING|REQUEST_BODY "@rx attack" "id:1,phase:1,pass,log"
            SecRule QUERY_STRING|REQUEST_BODY "@rx q=" "id:2,phase:1,pass,nolog,setvar:tx.seen=1"
            SecRule QUERY_STRING|REQUEST_BODY "@rx attack" "id:3,phase:2,pass,log"
            """;

        var tx = WafTestRequests.Run(rules, "/?q=fine", "POST", [("Content-Type", "text/plain")], "attack");

        Assert.DoesNotContain(1, tx.Ids());
        Assert.Contains(3, tx.Ids());
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

    // A pipeline's union starts from the values as collected and adds only the values the pipeline changes other than
    // by lowercasing (SelectionLiterals.OverCollected), or is that union itself when no value holds a character the
    // pipeline changes: the answers must stay the same, on a GET's few values and on a long list.
    private const string CollectedPipelineRules = PipelineRules + """

        SecRule ARGS "@rx attack" "id:36,phase:1,pass,log,t:cmdLine"
        SecRule ARGS "@rx attack" "id:37,phase:1,pass,log,t:urlDecodeUni,t:lowercase"
        """;

    private static string Query(int fields, string extra) =>
        "/?" + string.Join('&', Enumerable.Range(0, fields).Select(i => $"f{i}=fine+value+{i}")) + "&" + extra;

    private static string LongQuery(string extra) => Query(60, extra);

    [Theory]
    [InlineData(2)]
    [InlineData(60)]
    public void Run_LiteralOnlyAfterOnePipeline_OnlyThoseRulesMatch_AnyLength(int fields)
    {
        var tx = WafTestRequests.Run(CollectedPipelineRules, Query(fields, "b=att%2561ck"));

        Assert.Equal([32, 33, 34, 37], tx.Ids().Order());
    }

    [Theory]
    [InlineData(2)]
    [InlineData(60)]
    public void Run_UppercaseLiteral_PipelinesThatLowercaseMatch(int fields)
    {
        // "ATTACK" is only lowercased by t:lowercase and t:cmdLine: its scan is the collected value's.
        var tx = WafTestRequests.Run(CollectedPipelineRules, Query(fields, "c=ATTACK"));

        Assert.Equal([34, 35, 36, 37], tx.Ids().Order());
    }

    [Theory]
    [InlineData(2)]
    [InlineData(60)]
    public void Run_LiteralOnlyOnceCmdLineDeletesAQuote_Matches(int fields)
    {
        var tx = WafTestRequests.Run(CollectedPipelineRules, Query(fields, "d=at%22tack"));

        Assert.Equal([34, 36], tx.Ids().Order());
    }

    [Theory]
    [InlineData(2)]
    [InlineData(60)]
    public void Run_EveryValueUnchangedByThePipelines_LiteralFoundByAll(int fields)
    {
        // No value holds '%', '+' or a character t:cmdLine changes: every union is the collected one.
        var tx = WafTestRequests.Run(CollectedPipelineRules, Query(fields, "").Replace('+', '_') + "e=attack");

        Assert.Equal([31, 32, 33, 34, 35, 36, 37], tx.Ids().Order());
    }

    [Theory]
    [InlineData(2)]
    [InlineData(60)]
    public void Run_NoValueHoldsTheLiteral_OnlyTheNegatedRuleMatches_AnyLength(int fields)
    {
        var tx = WafTestRequests.Run(CollectedPipelineRules, Query(fields, "e=good"));

        Assert.Equal([34], tx.Ids());
    }

    [Fact]
    public void Run_NoValueHoldsTheLiteral_OnlyTheNegatedRuleMatches()
    {
        var tx = WafTestRequests.Run(PipelineRules, "/?a=fine&b=good");

        Assert.Equal([34], tx.Ids());
    }

    // A set that reads whole lists (TargetSet.Parts) takes a long selection's union from its parts' unions, shared by
    // every set that reads the same part (ViewLiterals): a superset when the set excludes values, so the answers must
    // still be each value's.
    private const string PartRules = """
        SecRuleEngine On
        SecRequestBodyAccess On
        SecRule REQUEST_HEADERS:Content-Type "@rx ^application/x-www-form-urlencoded" "id:10,phase:1,pass,nolog,ctl:requestBodyProcessor=URLENCODED"
        SecRule ARGS|!ARGS:skip "@rx attack" "id:41,phase:1,pass,log,t:urlDecodeUni"
        SecRule ARGS_NAMES|ARGS|REQUEST_FILENAME "@rx attack" "id:42,phase:1,pass,log,t:urlDecodeUni"
        SecRule ARGS|!ARGS:skip "@rx attack" "id:43,phase:2,pass,log,t:urlDecodeUni"
        SecRule ARGS_NAMES|ARGS|REQUEST_FILENAME "@rx attack" "id:44,phase:2,pass,log,t:urlDecodeUni"
        """;

    [Fact]
    public void Build_WholeLists_HaveParts_KeyedOrCountedTargetsHaveNone()
    {
        var rules = RuleSetLoader.LoadText(PartRules + """

            SecRule REQUEST_HEADERS:Referer|ARGS "@rx attack" "id:45,phase:2,pass,log"
            SecRule &ARGS|ARGS "@rx attack" "id:46,phase:2,pass,log"
            SecRule XML:/*|REQUEST_COOKIES_NAMES "@rx attack" "id:47,phase:2,pass,log"
            """, "test.conf");
        string[] Parts(int id) => rules.Phases.SelectMany(p => p.Rules).Single(r => r.Id == id).TargetSet!.Parts?.Select(p => $"{p.Source}{(p.Names ? " names" : "")}").ToArray() ?? ["none"];

        Assert.Equal(["ArgsGet", "ArgsPost"], Parts(41));
        Assert.Equal(["ArgsGet names", "ArgsPost names", "ArgsGet", "ArgsPost", "RequestFilename"], Parts(42));
        Assert.Equal(["none"], Parts(45));
        Assert.Equal(["none"], Parts(46));
        Assert.Equal(["Xml", "RequestCookies names"], Parts(47));
    }

    [Fact]
    public void Run_LongSelection_LiteralOnlyInAnExcludedValue_NotMatched()
    {
        var tx = WafTestRequests.Run(PartRules, LongQuery("skip=att%2561ck"));

        // The parts' union holds the excluded value's literal, so 41 and 43 are not skipped whole: they must still
        // exclude it. 42 and 44 read it.
        Assert.Equal([42, 44], tx.Ids().Order());
    }

    [Fact]
    public void Run_LongSelection_LiteralInANameOrTheFilename_OnlySetsReadingThemMatch()
    {
        Assert.Equal([42, 44], WafTestRequests.Run(PartRules, LongQuery("att%2561ck=fine")).Ids().Order());
        Assert.Equal([42, 44], WafTestRequests.Run(PartRules, "/att%2561ck" + LongQuery("x=fine")[1..]).Ids().Order());
    }

    [Fact]
    public void Run_LongSelection_BodyArgumentsArriveInPhase2_PartsFollow()
    {
        var body = string.Join('&', Enumerable.Range(0, 60).Select(i => $"p{i}=fine")) + "&posted=att%2561ck";
        var tx = WafTestRequests.Run(PartRules, LongQuery("x=fine"), "POST", [("Content-Type", "application/x-www-form-urlencoded")], body);

        // Phase 1 built ARGS_GET's and ARGS_POST's (empty) unions; phase 2 must see the posted arguments.
        Assert.Equal([43, 44], tx.Ids().Order());
    }
}
