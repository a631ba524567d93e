using Portcullis.Waf.SecLang;

namespace Portcullis.Waf.Tests.SecLang;

public sealed class DirectiveReaderTests
{
    private static Directive Single(string text) => Assert.Single(DirectiveReader.Read(text, "test.conf"));

    [Fact]
    public void Read_ContinuationLines_JoinedKeepingIndentation()
    {
        var d = Single("SecRule ARGS \"@rx a\" \\\n    \"id:1,\\\n    phase:2,pass\"\n");

        Assert.Equal("SecRule", d.Name);
        Assert.Equal(["ARGS", "@rx a", "id:1,    phase:2,pass"], d.Arguments);
        Assert.Equal(1, d.Line);
    }

    [Fact]
    public void Read_CommentsAndBlankLines_Skipped_LinesCounted()
    {
        var directives = DirectiveReader.Read("# a comment\n\n   # indented comment\nSecMarker \"END\"\nSecAction \"id:2\"\n", "x.conf");

        Assert.Equal(["SecMarker", "SecAction"], directives.Select(d => d.Name));
        Assert.Equal([4, 5], directives.Select(d => d.Line));
        Assert.All(directives, d => Assert.Equal("x.conf", d.File));
    }

    [Theory]
    // A backslash escapes only the quote character; every other backslash belongs to the regular expression.
    [InlineData("SecRule ARGS \"@rx \\d+\\\"x\" \"id:3\"", "@rx \\d+\"x")]
    [InlineData("SecRule ARGS \"@rx [\\x5c'\\\"]\" \"id:3\"", "@rx [\\x5c'\"]")]
    [InlineData("SecRule ARGS '@rx a\"b' \"id:3\"", "@rx a\"b")]
    [InlineData("SecRule ARGS '@rx it\\'s' \"id:3\"", "@rx it's")]
    [InlineData("SecRule ARGS @unconditionalMatch \"id:3\"", "@unconditionalMatch")]
    public void Read_Quoting_LikeApache(string text, string operatorArgument)
    {
        Assert.Equal(operatorArgument, Single(text).Arguments[1]);
    }

    [Fact]
    public void Read_ActionsWithSingleQuotedValues_StayOneArgument()
    {
        var d = Single("SecAction \"id:4,msg:'a, b and \\\"c\\\"',setvar:'tx.x=1'\"");

        Assert.Equal("id:4,msg:'a, b and \"c\"',setvar:'tx.x=1'", Assert.Single(d.Arguments));
    }

    [Fact]
    public void Read_UnterminatedQuote_ErrorNamesFileLineAndText()
    {
        var ex = Assert.Throws<SecLangSyntaxException>(() => DirectiveReader.Read("\nSecRule ARGS \"@rx a", "bad.conf"));

        Assert.Equal("bad.conf", ex.File);
        Assert.Equal(2, ex.Line);
        Assert.Contains("unterminated \" quote", ex.Message, StringComparison.Ordinal);
        Assert.Contains("SecRule ARGS", ex.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_CrLfLineEnds_SameAsLf()
    {
        var lf = Single("SecRule A \"@rx b\" \\\n \"id:5\"");
        var crlf = Single("SecRule A \"@rx b\" \\\r\n \"id:5\"");

        Assert.Equal(lf.Arguments, crlf.Arguments);
        Assert.Equal(lf.Line, crlf.Line);
    }
}
