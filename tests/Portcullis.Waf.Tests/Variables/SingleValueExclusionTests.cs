using Portcullis.Waf.Rules;
using Portcullis.Waf.Tests.Transactions;

namespace Portcullis.Waf.Tests.Variables;

/// <summary>
/// Excluding a variable that holds one value (REQUEST_FILENAME, REQUEST_URI...) by its bare name: ModSecurity v2
/// drops it from the rule (negated targets unset it by name; ctl exceptions without a key match it in
/// fetch_target_exception). CRS 941010 depends on it to keep plain paths away from the XSS rules.
/// </summary>
public sealed class SingleValueExclusionTests
{
    private const string PmOnFilename =
        """SecRule ARGS|REQUEST_FILENAME "@pm document.cookie" "id:20,phase:2,pass,log,tag:'xss-perf-disable'" """;

    [Theory]
    [InlineData("ctl:ruleRemoveTargetById=20;REQUEST_FILENAME")]
    [InlineData("ctl:ruleRemoveTargetByTag=xss-perf-disable;REQUEST_FILENAME")]
    [InlineData("ctl:ruleRemoveTargetById=10-29;REQUEST_FILENAME")]
    public void CtlRemoveTarget_SingleValueVariable_NotInspected(string ctl)
    {
        var tx = WafTestRequests.Run($"""
            SecAction "id:1,phase:1,pass,nolog,{ctl}"
            {PmOnFilename}
            """, "/docs/document.cookie");

        Assert.DoesNotContain(20, tx.Ids());
    }

    [Theory]
    [InlineData("ctl:ruleRemoveTargetById=21;REQUEST_FILENAME")]
    [InlineData("ctl:ruleRemoveTargetByTag=other-tag;REQUEST_FILENAME")]
    [InlineData("ctl:ruleRemoveTargetById=20;REQUEST_URI")]
    [InlineData("ctl:ruleRemoveTargetById=20;ARGS")]
    public void CtlRemoveTarget_OtherRuleOrVariable_StillInspected(string ctl)
    {
        var tx = WafTestRequests.Run($"""
            SecAction "id:1,phase:1,pass,nolog,{ctl}"
            {PmOnFilename}
            """, "/docs/document.cookie");

        Assert.Contains(20, tx.Ids());
    }

    [Fact]
    public void CtlRemoveTarget_SingleValueRemoved_OtherTargetsOfRuleStillInspected()
    {
        var tx = WafTestRequests.Run($"""
            SecAction "id:1,phase:1,pass,nolog,ctl:ruleRemoveTargetById=20;REQUEST_FILENAME"
            {PmOnFilename}
            """, "/docs/document.cookie?q=document.cookie");

        var match = Assert.Single(tx.MatchedRules, m => m.Id == 20);
        Assert.Equal("ARGS:q", match.VariableName);
    }

    [Theory]
    [InlineData("""SecRule REQUEST_URI|!REQUEST_URI "@contains x" "id:20,phase:1,pass,log" """)]
    [InlineData("""
        SecRule REQUEST_URI|REQUEST_FILENAME "@contains x" "id:20,phase:1,pass,log"
        SecRuleUpdateTargetById 20 "!REQUEST_URI"
        SecRuleUpdateTargetById 20 "!REQUEST_FILENAME"
        """)]
    public void StaticExclusion_SingleValueVariable_NotInspected(string rules)
    {
        Assert.Empty(WafTestRequests.Run(rules, "/x").MatchedRules);
    }

    [Theory]
    [InlineData("/get/javascript-manual/document.cookie", false)] // CRS 941180-7: only path characters
    [InlineData("/get/javascript-manual/document.cookie;", true)] // ';' keeps REQUEST_FILENAME in 941180
    public void Crs941010_PathWithOrWithoutSpecialCharacters_DecidesWhether941180SeesFilename(string path, bool fires)
    {
        var tx = WafTestRequests.Run(CrsRules.Value, path, headers: [("User-Agent", "OWASP CRS test agent")]);

        Assert.Equal(fires, tx.Ids().Contains(941180));
    }

    private static readonly Lazy<RuleSet> CrsRules = new(() => RuleSetLoader.LoadCrs(CrsDirectoryLocator.Find()));
}
