using Portcullis.Waf.Tests.Transactions;

namespace Portcullis.Waf.Tests.Macros;

public class MacroTextTests
{
    private static string Expand(string macro, string uri = "/?a=1&b=two", params (string, string)[] headers)
    {
        var rules = $"""
            SecAction "id:1,phase:1,pass,nolog,setvar:tx.score=7,setvar:tx.name=score"
            SecRule ARGS:b "@rx ." "id:2,phase:1,pass,log,msg:'{macro}'"
            """;
        return WafTestRequests.Run(rules, uri, headers: headers).MatchedRules.Single().Message!;
    }

    [Theory]
    [InlineData("%{tx.score}", "7")]
    [InlineData("%{TX.SCORE}", "7")] // names are case-insensitive
    [InlineData("score=%{tx.score}", "score=7")] // two segments, three, and more take different paths
    [InlineData("x=%{tx.score}, y=%{tx.score}", "x=7, y=7")]
    [InlineData("%{MATCHED_VAR}", "two")]
    [InlineData("%{matched_var_name}", "ARGS:b")]
    [InlineData("%{ARGS.a}", "1")]
    [InlineData("%{REQUEST_HEADERS.host}", "localhost")]
    [InlineData("%{REQUEST_LINE}", "GET /?a=1&b=two HTTP/1.1")]
    [InlineData("%{REMOTE_ADDR}", "127.0.0.1")]
    [InlineData("%{rule.id}", "2")]
    [InlineData("[%{tx.missing}]", "[]")] // a missing variable expands to nothing
    [InlineData("100% sure, %{} empty", "100% sure, %{} empty")] // not macros: kept as written
    public void Expand_Reference_AsModSecurity(string macro, string expected)
    {
        Assert.Equal(expected, Expand(macro));
    }

    [Fact]
    public void SetVar_MacroInNameAndValue_BothExpanded()
    {
        var tx = WafTestRequests.Run("""
            SecAction "id:1,phase:1,pass,nolog,setvar:tx.key=dyn,setvar:tx.value=42"
            SecAction "id:2,phase:1,pass,nolog,setvar:'tx.%{tx.key}_var=%{tx.value}%{tx.value}',setvar:tx.count=+%{tx.value},setvar:tx.count=-2,setvar:!tx.key"
            """);

        Assert.Equal("4242", tx.GetTxVariable("dyn_var"));
        Assert.Equal("40", tx.GetTxVariable("count"));
        Assert.Null(tx.GetTxVariable("key"));
    }

    [Fact]
    public void Parse_UnknownVariable_IsALoadError()
    {
        var error = Assert.Throws<Portcullis.Waf.Rules.RuleLoadException>(() =>
            Portcullis.Waf.Rules.RuleSetLoader.LoadText("SecAction \"id:1,phase:1,pass,msg:'%{NOPE.x}'\"", "m.conf"));

        Assert.Contains("unknown variable 'NOPE'", error.Errors.Single().Reason, StringComparison.Ordinal);
    }
}
