using Portcullis.CrsTest;

namespace Portcullis.Tests.CrsTest;

public sealed class FtwDataTemplateTests
{
    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a{{ \"1\" | repeat 3 }}b", "a111b")]
    [InlineData("{{ repeat 2 \"xy\" }}", "xyxy")]
    [InlineData("{{\"ab\"|repeat 2}}", "abab")]
    [InlineData("x\n{{- \"1\" | repeat 2 -}}\n y", "x11y")]
    [InlineData("{{ `raw\\n` | repeat 1 }}", "raw\\n")]
    [InlineData("{{ \"a\\tb\" | repeat 1 }}", "a\tb")]
    [InlineData("{{ \"1\" | repeat 0 }}", "")]
    [InlineData("${jndi:x}}} stays", "${jndi:x}}} stays")]
    public void TryExpand_SupportedText_ExpandsLikeGoTemplate(string text, string expected)
    {
        Assert.True(FtwDataTemplate.TryExpand(text, out var expanded, out var error), error);
        Assert.Equal(expected, expanded);
    }

    [Theory]
    [InlineData("{{ .Foo }}", "unsupported")]
    [InlineData("{{ \"1\" | repeat }}", "unsupported")]
    [InlineData("{{ \"1\" | repeat -1 }}", "not a non-negative")]
    [InlineData("{{ 1 | repeat 2 }}", "not a Go string literal")]
    [InlineData("open {{ \"1\" | repeat 2", "unclosed")]
    [InlineData("{{ \"1\" | repeat 99999999 }}", "beyond")]
    public void TryExpand_UnsupportedAction_FailsWithReason(string text, string reason)
    {
        Assert.False(FtwDataTemplate.TryExpand(text, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }
}
