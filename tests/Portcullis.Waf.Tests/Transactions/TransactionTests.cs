using Portcullis.Waf.Rules;

namespace Portcullis.Waf.Tests.Transactions;

public class TransactionTests
{
    [Fact]
    public void Rx_MatchingArgumentWithDeny_Interrupts403AndRecordsMatch()
    {
        var tx = WafTestRequests.Run("""SecRule ARGS "@rx attack" "id:1,phase:1,deny,msg:'bad %{MATCHED_VAR_NAME}',logdata:'%{MATCHED_VAR}'" """, "/?a=ok&b=an+attack");

        Assert.NotNull(tx.Interruption);
        Assert.Equal(403, tx.Interruption.Status);
        Assert.Equal(1, tx.Interruption.RuleId);
        var match = Assert.Single(tx.MatchedRules);
        Assert.Equal("ARGS:b", match.VariableName);
        Assert.Equal("an attack", match.MatchedValue);
        Assert.Equal("bad ARGS:b", match.Message);
        Assert.Contains("[id \"1\"] [msg \"bad ARGS:b\"] [data \"an attack\"]", match.ToLogLine(), StringComparison.Ordinal);
    }

    [Fact]
    public void DetectionOnly_DenyingRule_LogsButDoesNotInterrupt()
    {
        var tx = WafTestRequests.Run("""SecRule REQUEST_URI "@contains x" "id:1,phase:1,deny" """, "/x", mode: RuleEngineMode.DetectionOnly);

        Assert.Null(tx.Interruption);
        Assert.Equal([1], tx.Ids());
        Assert.False(tx.MatchedRules[0].Disruptive);
    }

    [Fact]
    public void CtlRuleEngine_DetectionOnlyFromARule_StopsLaterDenials()
    {
        var tx = WafTestRequests.Run("""
            SecAction "id:1,phase:1,nolog,pass,ctl:ruleEngine=DetectionOnly"
            SecRule REQUEST_URI "@contains x" "id:2,phase:1,deny"
            """, "/x");

        Assert.Null(tx.Interruption);
        Assert.Equal([2], tx.Ids());
    }

    [Fact]
    public void NegatedOperator_NoValuesSelected_DoesNotMatch()
    {
        var tx = WafTestRequests.Run("""SecRule ARGS:missing "!@rx ^abc$" "id:1,phase:1,deny" """, "/?other=1");

        Assert.Null(tx.Interruption);
        Assert.Empty(tx.MatchedRules);
    }

    [Fact]
    public void Chain_AllLinksMatch_ReportsOnceUnderHeadIdWithLastMatch()
    {
        const string rules = """
            SecRule REQUEST_METHOD "@streq POST" "id:10,phase:2,deny,msg:'m',logdata:'%{MATCHED_VAR_NAME}',chain"
                SecRule ARGS:q "@rx evil" "setvar:tx.hit=1"
            """;
        var hit = WafTestRequests.Run(rules, "/?q=evil", method: "POST", body: "");
        var miss = WafTestRequests.Run(rules, "/?q=good", method: "POST", body: "");

        Assert.Equal(10, hit.Interruption?.RuleId);
        var match = Assert.Single(hit.MatchedRules);
        Assert.Equal("ARGS:q", match.Data);
        Assert.Null(miss.Interruption);
        Assert.Empty(miss.MatchedRules);
    }

    [Fact]
    public void SkipAfter_JumpsPastMarkerInSamePhase()
    {
        var tx = WafTestRequests.Run("""
            SecRule REQUEST_URI "@contains /skip" "id:1,phase:1,pass,nolog,skipAfter:END"
            SecRule REQUEST_URI "@unconditionalMatch" "id:2,phase:1,pass,log"
            SecMarker END
            SecRule REQUEST_URI "@unconditionalMatch" "id:3,phase:1,pass,log"
            """, "/skip");

        Assert.Equal([3], tx.Ids());
    }

    [Theory]
    [InlineData("SecRuleRemoveById 2")]
    [InlineData("SecRuleRemoveByTag removable")]
    public void SkipAfter_RulesRemovedBeforeTheMarker_StillLandsRightAfterIt(string removal)
    {
        var tx = WafTestRequests.Run($$"""
            SecRule REQUEST_URI "@contains /skip" "id:1,phase:1,pass,nolog,skipAfter:END"
            SecRule REQUEST_URI "@unconditionalMatch" "id:2,phase:1,pass,log,tag:'removable'"
            SecRule REQUEST_URI "@unconditionalMatch" "id:4,phase:1,pass,log"
            SecMarker END
            SecRule REQUEST_URI "@unconditionalMatch" "id:3,phase:1,pass,log"
            {{removal}}
            """, "/skip");

        Assert.Equal([3], tx.Ids());
    }

    /// <summary>A key that makes a selector's regex time out is inspected, not an error and not a way around the rule.</summary>
    [Theory]
    [InlineData("ARGS:/^(a+)+$/")]
    [InlineData("ARGS|!ARGS:/^(a+)+$/")]
    public void KeySelectorRegexTimesOut_ValueStillInspected(string targets)
    {
        var key = new string('a', 40) + "!";
        var tx = WafTestRequests.Run($$"""
            SecRule {{targets}} "@rx attack" "id:1,phase:1,pass,log"
            """, $"/?{key}=attack");

        Assert.Equal([1], tx.Ids());
    }

    [Fact]
    public void SetVar_AddsWithMacrosAndRulesCompareAgainstMacroParameter()
    {
        var tx = WafTestRequests.Run("""
            SecAction "id:1,phase:1,nolog,pass,setvar:tx.threshold=5,setvar:tx.points=2"
            SecRule ARGS "@rx a" "id:2,phase:1,pass,nolog,setvar:'tx.score=+%{tx.points}'"
            SecRule TX:SCORE "@ge %{tx.threshold}" "id:3,phase:1,deny,status:418,msg:'score %{tx.score}'"
            """, "/?x=a&y=a&z=a");

        Assert.Equal("6", tx.GetTxVariable("score"));
        Assert.Equal(418, tx.Interruption?.Status);
        Assert.Equal("score 6", tx.MatchedRules.Single().Message);
    }

    [Fact]
    public void Block_TakesSecDefaultActionOfThePhase()
    {
        const string rule = """SecRule ARGS "@rx a" "id:2,phase:2,block" """;
        var passing = WafTestRequests.Run("SecDefaultAction \"phase:2,log,auditlog,pass\"\n" + rule, "/?x=a", body: "");
        var denying = WafTestRequests.Run("SecDefaultAction \"phase:2,log,auditlog,deny,status:406\"\n" + rule, "/?x=a", body: "");

        Assert.Null(passing.Interruption);
        Assert.Equal([2], passing.Ids());
        Assert.Equal(406, denying.Interruption?.Status);
    }

    [Fact]
    public void Capture_RegexGroupsGoToTxNumbers()
    {
        var tx = WafTestRequests.Run("""
            SecRule ARGS:v "@rx (\d+)-(\d+)" "id:1,phase:1,pass,nolog,capture,setvar:tx.first=%{tx.1}"
            """, "/?v=12-34");

        Assert.Equal("12", tx.GetTxVariable("first"));
        Assert.Equal("34", tx.GetTxVariable("2"));
        Assert.Equal("12-34", tx.GetTxVariable("0"));
    }

    [Fact]
    public void CountSelector_CountsSelectedValues()
    {
        var tx = WafTestRequests.Run("""
            SecRule &ARGS "@eq 3" "id:1,phase:1,pass,log"
            SecRule &ARGS:a "@eq 2" "id:2,phase:1,pass,log"
            SecRule &TX:nothing "@eq 0" "id:3,phase:1,pass,log"
            """, "/?a=1&a=2&b=3");

        Assert.Equal([1, 2, 3], tx.Ids());
    }

    [Fact]
    public void Exclusions_InRuleAndByCtl_RemoveKeys()
    {
        var tx = WafTestRequests.Run("""
            SecRule REQUEST_URI "@contains /login" "id:1,phase:1,pass,nolog,ctl:ruleRemoveTargetById=3;ARGS:password"
            SecRule ARGS|!ARGS:/^safe/ "@rx x" "id:2,phase:1,pass,log"
            SecRule ARGS "@rx x" "id:3,phase:1,pass,log"
            """, "/login?safe1=x&password=x");

        Assert.Equal(["2 ARGS:password", "3 ARGS:safe1"], tx.MatchedRules.Select(m => $"{m.Id} {m.VariableName}"));
    }

    [Fact]
    public void CtlRuleRemoveById_RangeAndTag_RulesSkippedForThisTransactionOnly()
    {
        var ruleSet = RuleSetLoader.LoadText("""
            SecRule ARGS:off "@streq 1" "id:1,phase:1,pass,nolog,ctl:ruleRemoveById=10-19,ctl:ruleRemoveByTag=noisy"
            SecAction "id:10,phase:1,pass,log"
            SecAction "id:20,phase:1,pass,log,tag:'noisy'"
            SecAction "id:30,phase:1,pass,log"
            """);

        Assert.Equal([30], WafTestRequests.Run(ruleSet, "/?off=1").Ids());
        Assert.Equal([10, 20, 30], WafTestRequests.Run(ruleSet, "/?off=0").Ids());
    }

    [Fact]
    public void Cookies_ParsedIntoRequestCookiesAndNames()
    {
        var tx = WafTestRequests.Run("""
            SecRule REQUEST_COOKIES:session "@streq abc" "id:1,phase:1,pass,log"
            SecRule REQUEST_COOKIES_NAMES "@streq theme" "id:2,phase:1,pass,log"
            """, headers: [("Cookie", "session=abc; theme=dark")]);

        Assert.Equal([1, 2], tx.Ids());
    }

    [Fact]
    public void UrlEncodedBody_ParsedIntoArgsPostAndRequestBody()
    {
        var tx = WafTestRequests.Run("""
            SecRule ARGS_POST:name "@streq a b" "id:1,phase:2,pass,log"
            SecRule REQUEST_BODY "@contains name=a+b" "id:2,phase:2,pass,log"
            SecRule REQBODY_PROCESSOR "@streq URLENCODED" "id:3,phase:2,pass,log"
            """, method: "POST", headers: [("Content-Type", "application/x-www-form-urlencoded")], body: "name=a+b&x=%ZZ");

        Assert.Equal([1, 2, 3], tx.Ids());
    }

    [Fact]
    public void RequestLineVariables_FollowModSecurity()
    {
        var tx = WafTestRequests.Run("""
            SecRule REQUEST_FILENAME "@streq /a/b.php" "id:1,phase:1,pass,log"
            SecRule REQUEST_BASENAME "@streq b.php" "id:2,phase:1,pass,log"
            SecRule QUERY_STRING "@streq x=%41" "id:3,phase:1,pass,log"
            SecRule ARGS_GET:x "@streq A" "id:4,phase:1,pass,log"
            SecRule REQUEST_LINE "@streq GET /a/b.php?x=%41 HTTP/1.1" "id:5,phase:1,pass,log"
            """, "/a/b.php?x=%41");

        Assert.Equal([1, 2, 3, 4, 5], tx.Ids());
    }

    [Fact]
    public void Interruption_LaterPhasesRunOnlyLogging()
    {
        var tx = WafTestRequests.Run("""
            SecAction "id:1,phase:1,deny"
            SecAction "id:2,phase:2,pass,log"
            SecAction "id:5,phase:5,pass,log"
            """);

        Assert.Equal([1, 5], tx.Ids());
    }

    [Fact]
    public void DocsWafExample_ExclusionForOnePath_RemovesTheTargetThereOnly()
    {
        // The tuning example in docs/waf.md, as written there.
        var ruleSet = RuleSetLoader.LoadText("""
            SecRule REQUEST_FILENAME "@beginsWith /blog/post" \
                "id:10001,phase:1,pass,nolog,ctl:ruleRemoveTargetById=942100;ARGS:comment"
            SecRule ARGS "@rx union select" "id:942100,phase:2,deny"
            """);
        const string attack = "?comment=1+union+select+2";

        Assert.Null(WafTestRequests.Run(ruleSet, "/blog/post" + attack, body: "").Interruption);
        Assert.Equal(942100, WafTestRequests.Run(ruleSet, "/shop" + attack, body: "").Interruption?.RuleId);
    }

    /// <summary>
    /// What the rules derive from the request (shared lists, transformed values, literal scans) is released when phase
    /// 2 ends, while the transaction waits for its upstream and others run: rules of the later phases that select
    /// request values must still see them, each transaction its own.
    /// </summary>
    [Fact]
    public void LaterPhases_WithOtherTransactionsInBetween_StillSeeTheirOwnRequestValues()
    {
        var rules = RuleSetLoader.LoadText("""
            SecRuleEngine On
            SecRule REQUEST_FILENAME "@beginsWith /" "id:10,phase:1,pass,nolog,ctl:ruleRemoveTargetById=4;ARGS:skip"
            SecRule ARGS "@rx attack" "id:1,phase:2,pass,log,t:lowercase"
            SecRule ARGS "@rx other" "id:2,phase:2,pass,log,t:lowercase"
            SecRule ARGS "@rx attack" "id:3,phase:3,pass,log,t:lowercase"
            SecRule ARGS "@rx other" "id:4,phase:3,pass,log,t:lowercase"
            SecRule ARGS "@rx attack" "id:5,phase:5,pass,log,t:lowercase"
            SecRule ARGS "@rx other" "id:6,phase:5,pass,log,t:lowercase"
            """, "test.conf");

        var first = StartRequest(rules, "/?a=ATTACK&skip=OTHER");
        var second = StartRequest(rules, "/?a=Other&b=x");
        FinishResponse(second);
        var third = StartRequest(rules, "/?c=nothing");
        FinishResponse(first);
        FinishResponse(third);

        Assert.Equal([1, 2, 3, 5, 6], first.Ids().Order());
        Assert.Equal([2, 4, 6], second.Ids().Order());
        Assert.Empty(third.Ids());
    }

    private static Portcullis.Waf.Transactions.Transaction StartRequest(RuleSet rules, string uri)
    {
        var tx = WafTestRequests.Start(rules, uri);
        Assert.Null(tx.Interruption);
        return tx;
    }

    private static void FinishResponse(Portcullis.Waf.Transactions.Transaction tx)
    {
        tx.AddResponseHeader("Content-Type", "text/plain");
        Assert.Null(tx.ProcessResponseHeaders(200, "HTTP/1.1"));
        tx.ProcessLogging();
    }
}
