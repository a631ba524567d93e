using Portcullis.Waf.SecLang;

namespace Portcullis.Waf.Tests.SecLang;

public sealed class RuleSyntaxTests
{
    private static readonly Directive At = new("SecRule", [], "t.conf", 7);

    [Fact]
    public void ParseVariables_SelectorsExclusionsCountsAndRegexKeys()
    {
        var vars = RuleSyntax.ParseVariables("REQUEST_COOKIES|!REQUEST_COOKIES:/^(?:__utm|_pk_ref)/|&ARGS|args:id|XML:/*|TX:'x'", At);

        Assert.Equal(
            ["REQUEST_COOKIES", "!REQUEST_COOKIES:/^(?:__utm|_pk_ref)/", "&ARGS", "ARGS:id", "XML:/*", "TX:x"],
            vars.Select(v => v.ToString()));
        Assert.True(vars[1].Exclude && vars[1].KeyIsRegex);
        Assert.True(vars[2].Count);
        // "XML:/*" is an XPath key, not a regex.
        Assert.Equal("/*", vars[4].Key);
        Assert.False(vars[4].KeyIsRegex);
    }

    [Theory]
    [InlineData("ARGS||ARGS")]
    [InlineData("ARGS:/unterminated")]
    [InlineData("AR GS")]
    public void ParseVariables_Malformed_ErrorWithFileAndLine(string text)
    {
        var ex = Assert.Throws<SecLangSyntaxException>(() => RuleSyntax.ParseVariables(text, At));

        Assert.Equal(("t.conf", 7), (ex.File, ex.Line));
    }

    [Theory]
    [InlineData("@rx ^a b$", "rx", "^a b$", false)]
    [InlineData("!@within GET POST", "within", "GET POST", true)]
    [InlineData("@unconditionalMatch", "unconditionalMatch", "", false)]
    [InlineData("^bare pattern$", "rx", "^bare pattern$", false)]
    [InlineData("!^bare$", "rx", "^bare$", true)]
    public void ParseOperator_Forms(string text, string name, string parameter, bool negated)
    {
        Assert.Equal(new OperatorSpec(name, parameter, negated), RuleSyntax.ParseOperator(text));
    }

    [Fact]
    public void ParseActions_QuotedValuesWithCommasAndEscapedQuotes()
    {
        var actions = RuleSyntax.ParseActions("id:1, phase:2,msg:'a, b \\'c\\'',t:none,t:lowercase,block,setvar:'tx.score=+%{tx.critical}'", At);

        Assert.Equal(
            [("id", "1"), ("phase", "2"), ("msg", "a, b 'c'"), ("t", "none"), ("t", "lowercase"), ("block", null), ("setvar", "tx.score=+%{tx.critical}")],
            actions.Select(a => (a.Name, a.Value)));
    }

    [Fact]
    public void ParseActions_UnterminatedQuote_IsAnError()
    {
        Assert.Throws<SecLangSyntaxException>(() => RuleSyntax.ParseActions("id:1,msg:'oops", At));
    }
}
