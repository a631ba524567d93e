namespace Portcullis.Waf.Tests.Transformations;

/// <summary>Vectors from ModSecurity's tests/tfn/htmlEntityDecode.t plus edge cases of the v2 source.</summary>
public sealed class HtmlEntityDecodeTests
{
    [Theory]
    [InlineData("", "")]
    [InlineData("TestCase", "TestCase")]
    [InlineData("Test\0Case", "Test\0Case")]
    [InlineData("&#x0;&#X0;&#x20;&#X20;&#0;&#32;\0&#100;&quot;&amp;&lt;&gt;&nbsp;", "\0\0  \0 \0d\"&<>\u00a0")]
    [InlineData("&#x0&#X0&#x20&#X20&#0&#32\0&#100&quot&amp&lt&gt&nbsp", "\0\0  \0 \0d\"&<>\u00a0")]
    [InlineData("&#xg;&#Xg;&#xg0;&#X2g;&#a;\0&#a2;&#3a&#a00;&#1a0;&#10a;&foo;",
        "&#xg;&#Xg;&#xg0;\u0002g;&#a;\0&#a2;\u0003a&#a00;\u0001a0;\u000aa;&foo;")]
    [InlineData("javascript&colon;alert(1)", "javascript:alert(1)")]
    [InlineData("it&apos;s &COLON;&Apos;", "it's :'")]
    [InlineData("&lbrack;&bsol;&rbrack;&caret;&lowbar;&grave;&lbrace;&verbar;&rbrace;&tilde;", "[\\]^_`{|}~")]
    [InlineData("&#x100;&#321;", "\0A")] // Only the low byte: 0x100 → 0x00, 321 → 0x41.
    [InlineData("&#99999999999999999999999;", "\u00ff")] // strtol saturates at LONG_MAX.
    [InlineData("&", "&")]
    [InlineData("a&", "a&")]
    [InlineData("&#", "&#")]
    [InlineData("&#x", "&#x")]
    [InlineData("& ;", "& ;")]
    [InlineData("&unknown;", "&unknown;")]
    [InlineData("&&lt;", "&<")]
    public void Apply_Input_DecodesAsModSecurity(string input, string expected) =>
        TransformationAssert.Transforms("htmlEntityDecode", input, expected);
}
