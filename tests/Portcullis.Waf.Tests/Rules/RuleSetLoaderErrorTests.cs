using Portcullis.Waf.Rules;

namespace Portcullis.Waf.Tests.Rules;

/// <summary>Every way a rule file can be wrong is reported with file:line, the directive and the reason — never skipped.</summary>
public class RuleSetLoaderErrorTests
{
    private static RuleLoadError Single(string text)
    {
        var error = Assert.Throws<RuleLoadException>(() => RuleSetLoader.LoadText("# first line\n" + text, "my.conf"));
        return Assert.Single(error.Errors);
    }

    [Theory]
    [InlineData("SecRule ARGS \"@nosuch x\" \"id:1,phase:1,pass\"", "unknown operator '@nosuch'")]
    [InlineData("SecRule NOSUCH \"@rx x\" \"id:1,phase:1,pass\"", "unknown variable 'NOSUCH'")]
    [InlineData("SecRule ARGS \"@rx x\" \"id:1,phase:1,pass,t:nosuch\"", "unknown transformation 'nosuch'")]
    [InlineData("SecRule ARGS \"@rx x\" \"id:1,phase:1,pass,sanitiseMatched\"", "action 'sanitisematched' is not supported")]
    [InlineData("SecRule ARGS \"@rx x\" \"phase:1,pass\"", "every rule needs an id")]
    [InlineData("SecRule ARGS \"@rx x\" \"id:1,phase:7,pass\"", "phase must be 1-5")]
    [InlineData("SecRule ARGS \"@rx (x\" \"id:1,phase:1,pass\"", "Invalid pattern")]
    [InlineData("SecRule ARGS \"@rx (a)\\1\" \"id:1,phase:1,pass\"", "not supported")]
    [InlineData("SecRule ARGS \"@ipMatch 10.0.0.300\" \"id:1,phase:1,pass\"", "10.0.0.300")]
    [InlineData("SecRule ARGS \"@validateByteRange 1-x\" \"id:1,phase:1,pass\"", "1-x")]
    [InlineData("SecRule REQUEST_METHOD:x \"@rx x\" \"id:1,phase:1,pass\"", "holds one value and takes no ':key'")]
    [InlineData("SecRule XML:/a/b \"@rx x\" \"id:1,phase:1,pass\"", "XPath keys '/*'")]
    [InlineData("SecRule ARGS \"@rx x\" \"id:1,phase:1,pass,ctl:nosuch=1\"", "ctl option 'nosuch' is not supported")]
    [InlineData("SecRule ARGS \"@rx x\" \"id:1,phase:1,pass,ctl:ruleEngine=Maybe\"", "is not a rule engine mode")]
    [InlineData("SecRule ARGS \"@rx x\" \"id:1,phase:1,pass,setvar:args.x=1\"", "setvar can only write")]
    [InlineData("SecRule ARGS \"@rx x\" \"id:1,phase:1,pass,status:999\"", "status must be an HTTP status")]
    [InlineData("SecRule ARGS \"@rx x\" \"id:1,phase:1,pass,msg:'unclosed\"", "unterminated ' quote")]
    [InlineData("SecRule ARGS \"@rx x\" \"id:1,phase:1,pass,chain\"", "ends with 'chain' but no SecRule follows")]
    [InlineData("SecRule ARGS \"@rx x\" \"id:1,phase:1,pass,chain\"\nSecMarker END", "next directive is not a SecRule")]
    [InlineData("SecAction \"id:1,phase:1,pass\"\nSecAction \"id:1,phase:2,pass\"", "rule id 1 is already used")]
    [InlineData("SecRuleUpdateTargetById 99 \"!ARGS:x\"", "no rule with id 99")]
    [InlineData("SecDefaultAction \"phase:2,log\"", "needs a disruptive action")]
    [InlineData("SecDefaultAction \"log,pass\"", "needs a phase")]
    [InlineData("SecRuleEngine Sometimes", "is not a rule engine mode")]
    [InlineData("SecAuditLog /var/log/audit.log", "Portcullis writes matched rules to its security log")]
    [InlineData("SecNoSuchDirective On", "unknown directive 'SecNoSuchDirective'")]
    [InlineData("Include /nonexistent/*.conf", "nothing matches")]
    public void Load_Mistake_ReportedWithFileLineAndReason(string text, string reason)
    {
        var error = Single(text);

        Assert.Equal("my.conf", error.File);
        Assert.True(error.Line >= 2, $"line {error.Line}");
        Assert.Contains(reason, error.Reason, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(error.Directive));
    }

    [Fact]
    public void Load_SeveralMistakes_AllReportedTogether()
    {
        var error = Assert.Throws<RuleLoadException>(() => RuleSetLoader.LoadText("""
            SecRule ARGS "@nosuch x" "id:1,phase:1,pass"
            SecAction "id:2,phase:1,pass"
            SecRule NOPE "@rx x" "id:3,phase:1,pass"
            """, "many.conf"));

        Assert.Equal([1, 3], error.Errors.Select(e => e.Line));
    }

    [Fact]
    public void Load_ChainLinkWithDisruptiveAction_IsAnError()
    {
        var error = Single("SecRule ARGS \"@rx x\" \"id:1,phase:1,deny,chain\"\n    SecRule ARGS \"@rx y\" \"deny\"");

        Assert.Contains("belong on the chain's first rule", error.Reason, StringComparison.Ordinal);
    }
}
