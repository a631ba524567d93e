using Portcullis.Waf.Rules;
using Portcullis.Waf.Tests.Transactions;
using Portcullis.Waf.Variables;

namespace Portcullis.Waf.Tests.Rules;

/// <summary>
/// Gates on TX values the setup rules fix are answered when the rule set is built; a request must see exactly what
/// evaluating them would give, and anything that may change such a value on some request keeps its gates evaluated.
/// </summary>
public sealed class SetupFoldingTests
{
    // CRS's shape: crs-setup's SecAction, REQUEST-901's defaults, a file whose level-2 part is gated.
    private const string Setup = """
        SecRuleEngine On
        SecDefaultAction "phase:1,log,auditlog,pass"
        SecDefaultAction "phase:2,log,auditlog,pass"
        SecAction "id:900000,phase:1,pass,nolog,setvar:tx.blocking_paranoia_level=1"
        SecRule &TX:detection_paranoia_level "@eq 0" "id:901100,phase:1,pass,nolog,setvar:tx.detection_paranoia_level=%{TX.blocking_paranoia_level}"
        SecRule &TX:inbound_anomaly_score_threshold "@eq 0" "id:901110,phase:1,pass,nolog,setvar:tx.inbound_anomaly_score_threshold=5"
        """;

    private const string Gated = """
        SecRule TX:DETECTION_PARANOIA_LEVEL "@lt 1" "id:10,phase:2,pass,nolog,skipAfter:END-10"
        SecRule ARGS "@rx level1" "id:11,phase:2,pass,log"
        SecRule TX:DETECTION_PARANOIA_LEVEL "@lt 2" "id:12,phase:2,pass,nolog,skipAfter:END-10"
        SecRule ARGS "@rx level2" "id:13,phase:2,pass,log"
        SecMarker "END-10"
        SecRule TX:BLOCKING_PARANOIA_LEVEL "@ge 1" "id:20,phase:2,pass,log,msg:'%{MATCHED_VAR_NAME}=%{MATCHED_VAR}'"
        SecRule TX:inbound_anomaly_score_threshold "@gt %{tx.blocking_paranoia_level}" "id:21,phase:2,pass,log"
        SecRule TX:missing "!@eq 1" "id:22,phase:2,pass,log"
        """;

    private static RuleSet Load(params string[] parts) => RuleSetLoader.LoadText(string.Join('\n', parts), "test.conf");

    [Fact]
    public void Build_CrsShapedGates_AreFolded()
    {
        var rules = Load(Setup, Gated);

        Assert.Equal(3, rules.SetupRules);
        Assert.Equal(5, rules.FoldedGates);
    }

    [Fact]
    public void Run_FoldedGates_AnswerAsEvaluated()
    {
        var tx = WafTestRequests.Run(Load(Setup, Gated), "/?a=level1&b=level2", body: "");

        // 10 does not match, 12 skips 13; 20 and 21 match; 22 selects nothing, so it does not match although negated.
        Assert.Equal([11, 20, 21], tx.Ids().Order());
        Assert.Equal("TX:BLOCKING_PARANOIA_LEVEL=1", tx.MatchedRules.Single(m => m.Id == 20).Message, ignoreCase: true);
    }

    [Fact]
    public void Build_AValueARequestMayChange_KeepsItsGatesEvaluated()
    {
        var raise = """
            SecRule ARGS:debug "@streq 1" "id:100,phase:2,pass,nolog,setvar:tx.detection_paranoia_level=2"
            """;
        var rules = Load(Setup, raise, Gated);

        Assert.Equal(3, rules.FoldedGates);
        Assert.Equal([11, 13, 20, 21], WafTestRequests.Run(rules, "/?debug=1&a=level1&b=level2", body: "").Ids().Order());
        Assert.Equal([11, 20, 21], WafTestRequests.Run(rules, "/?a=level1&b=level2", body: "").Ids().Order());
    }

    [Fact]
    public void Build_ANameWithAMacro_CountsForEveryNameWithItsPrefix()
    {
        var write = """
            SecRule REQUEST_METHOD "@rx ." "id:100,phase:1,pass,nolog,setvar:tx.detection_%{REQUEST_METHOD}=1"
            """;
        var rules = Load(Setup, write, Gated);

        Assert.Equal(3, rules.FoldedGates);
    }

    [Fact]
    public void Build_ACaptureAfterTheSetup_KeepsCaptureGatesEvaluated()
    {
        var capture = """
            SecAction "id:1,phase:1,pass,nolog,setvar:tx.1=5"
            SecRule ARGS "@rx ^(\d)$" "id:2,phase:2,pass,nolog,capture"
            SecRule TX:1 "@eq 5" "id:3,phase:2,pass,log"
            """;
        var rules = RuleSetLoader.LoadText("SecRuleEngine On\n" + capture, "test.conf");

        Assert.Equal(0, rules.FoldedGates);
        Assert.Equal([3], WafTestRequests.Run(rules, "/?x=a", body: "").Ids());
        Assert.Empty(WafTestRequests.Run(rules, "/?x=7", body: "").Ids());
    }

    [Fact]
    public void Run_ARequestDependentRuleRemovingASetupRule_EndsTheSetupBeforeIt()
    {
        // A site exclusion in REQUEST-900's place that takes a setup rule out on some requests.
        var exclusion = """
            SecRule REQUEST_FILENAME "@beginsWith /admin" "id:200100,phase:1,pass,nolog,ctl:ruleRemoveById=901110"
            """;
        var rules = Load(Setup.Replace("SecRule &TX:inbound", exclusion + "\nSecRule &TX:inbound", StringComparison.Ordinal), Gated);

        Assert.Equal([11, 20], WafTestRequests.Run(rules, "/admin?a=level1", body: "").Ids().Order());
        Assert.Equal([11, 20, 21], WafTestRequests.Run(rules, "/?a=level1", body: "").Ids().Order());
    }

    [Fact]
    public void Run_ASiteExclusionBetweenSetupRules_StillFolds()
    {
        var exclusion = """
            SecRule REQUEST_FILENAME "@beginsWith /admin" "id:200100,phase:1,pass,nolog,ctl:ruleRemoveTargetById=942100;ARGS:comment"
            """;
        var rules = Load(Setup.Replace("SecRule &TX:inbound", exclusion + "\nSecRule &TX:inbound", StringComparison.Ordinal), Gated);

        Assert.Equal(5, rules.FoldedGates);
        Assert.Equal([11, 20, 21], WafTestRequests.Run(rules, "/admin?a=level1", body: "").Ids().Order());
    }

    [Fact]
    public void Run_PhaseOneStoppedBeforeTheSetupEnds_EvaluatesLaterGatesAsWritten()
    {
        var rules = """
            SecRuleEngine On
            SecRule ARGS:stop "@streq 1" "id:1,phase:1,deny,log"
            SecAction "id:2,phase:1,pass,nolog,setvar:tx.ready=1"
            SecRule TX:ready "@eq 1" "id:3,phase:5,pass,log"
            SecRule TX:ready "!@eq 1" "id:4,phase:5,pass,log"
            """;
        var set = RuleSetLoader.LoadText(rules, "test.conf");

        Assert.Equal(2, set.FoldedGates);
        Assert.Equal([3], WafTestRequests.Run(set, "/?go=1", body: "").Ids());
        // Denied before rule 2 ran: TX:ready was never set, so neither phase-5 rule matches.
        Assert.Equal([1], WafTestRequests.Run(set, "/?stop=1", body: "").Ids());
    }

    [Fact]
    public void Build_ASetupThatLogs_FoldsNothing()
    {
        var rules = RuleSetLoader.LoadText("""
            SecRuleEngine On
            SecRule &TX:crs_setup_version "@eq 0" "id:901001,phase:1,deny,log,msg:'CRS is deployed without configuration'"
            SecRule TX:crs_setup_version "@lt 1" "id:2,phase:2,pass,log"
            """, "test.conf");

        Assert.Equal(0, rules.FoldedGates);
    }

    [Fact]
    public void Run_JumpsOverGatesLeftOut_LandWhereTheRulesAsWrittenSay()
    {
        // 30 skips the next two rules, the first of them a gate that never matches (left out of the settled program);
        // 40 jumps to a marker that falls on such a gate. The same rules with the gate made request-dependent (so kept)
        // say where each jump lands.
        string Rules(string gate) => $$"""
            SecRule ARGS:a "@streq x" "id:30,phase:2,pass,nolog,skip:2"
            SecRule {{gate}} "@lt 1" "id:31,phase:2,pass,nolog,skipAfter:END-31"
            SecRule ARGS:a "@streq x" "id:32,phase:2,pass,log"
            SecRule ARGS:a "@streq x" "id:33,phase:2,pass,log"
            SecMarker END-31
            SecRule ARGS:a "@streq x" "id:40,phase:2,pass,nolog,skipAfter:END-40"
            SecRule ARGS:a "@streq x" "id:41,phase:2,pass,log"
            SecMarker END-40
            SecRule {{gate}} "@lt 1" "id:42,phase:2,pass,nolog,skipAfter:END-42"
            SecRule ARGS:a "@streq x" "id:43,phase:2,pass,log"
            SecMarker END-42
            """;
        var settled = Load(Setup, Rules("TX:DETECTION_PARANOIA_LEVEL"));
        var asWritten = Load(Setup, Rules("ARGS:level"));

        Assert.Equal(2, settled.FoldedGates);
        Assert.Equal(asWritten.Phases[2].Rules.Length - 2, settled.Phases[2].Settled!.Rules.Length);
        Assert.Equal(asWritten.Phases[2].Rules.Length, asWritten.Phases[2].Settled!.Rules.Length);
        Assert.Equal([33, 43], WafTestRequests.Run(settled, "/?a=x", body: "").Ids().Order());
        Assert.Equal([33, 43], WafTestRequests.Run(asWritten, "/?a=x", body: "").Ids().Order());
    }

    [Fact]
    public void Run_ARemovedTargetOnAMatchingGate_StopsItMatching()
    {
        var rules = Load(Setup, """
            SecAction "id:50,phase:2,pass,nolog,ctl:ruleRemoveTargetById=20;TX:BLOCKING_PARANOIA_LEVEL"
            """, Gated);

        Assert.Equal([11, 21], WafTestRequests.Run(rules, "/?a=level1", body: "").Ids().Order());
    }

    [Fact]
    public void Run_SetupTailSetAtOnce_LeavesWhatRunningItLeaves()
    {
        // The same setup twice: once ending in a run of TX-only rules long enough to be set at once, once broken up by
        // a request-dependent rule so that every rule runs as written.
        string Rules(string breakUp) => $$"""
            SecRuleEngine On
            SecRule REQUEST_FILENAME "@beginsWith /admin" "id:1,phase:1,pass,nolog,ctl:ruleRemoveTargetById=999;ARGS:x"
            SecAction "id:2,phase:1,pass,nolog,setvar:tx.a=1"
            SecRule &TX:b "@eq 0" "id:3,phase:1,pass,nolog,setvar:tx.b=%{tx.a}"
            SecRule &TX:a "@eq 0" "id:4,phase:1,pass,nolog,setvar:tx.a=5"
            SecAction "id:5,phase:1,pass,nolog,setvar:tx.c=+3,setvar:tx.a=2"
            {{breakUp}}
            SecAction "id:6,phase:1,pass,nolog,setvar:!tx.b"
            SecRule &TX:c "@eq 1" "id:7,phase:1,pass,nolog,setvar:tx.d=%{tx.c}%{tx.a}"
            SecRule REQUEST_METHOD "@rx ^POST$" "id:8,phase:1,pass,nolog,skipAfter:END"
            SecAction "id:9,phase:1,pass,log,msg:'%{MATCHED_VAR_NAME}=%{MATCHED_VAR}'"
            SecMarker END
            """;
        var atOnce = RuleSetLoader.LoadText(Rules(""), "test.conf");
        var asWritten = RuleSetLoader.LoadText(Rules("""SecRule ARGS:q "@streq 1" "id:50,phase:1,pass,nolog" """), "test.conf");

        Assert.Equal(1, atOnce.Phases[1].SetupTail);
        Assert.Equal(-1, asWritten.Phases[1].SetupTail);
        var expected = WafTestRequests.Run(asWritten, "/admin?q=2", body: "");
        var actual = WafTestRequests.Run(atOnce, "/admin?q=2", body: "");
        Assert.Equal([.. expected.Variables.ItemsOf(VariableName.Tx)], [.. actual.Variables.ItemsOf(VariableName.Tx)]);
        Assert.Equal(["a", "c", "d"], actual.Variables.ItemsOf(VariableName.Tx).ToArray().Select(item => item.Key));
        Assert.Equal(expected.MatchedRules.Single(m => m.Id == 9).Message, actual.MatchedRules.Single(m => m.Id == 9).Message);
    }
}
