namespace Portcullis.Waf.Tests.Transformations;

public sealed class UrlDecodeTests
{
    [Theory]
    [InlineData("", "")]
    [InlineData("plain", "plain")]
    [InlineData("a%20b", "a b")]
    [InlineData("a+b", "a b")]
    [InlineData("%3Cscript%3e", "<script>")]
    [InlineData("%", "%")]
    [InlineData("abc%", "abc%")]
    [InlineData("abc%4", "abc%4")]
    [InlineData("%zz%4g", "%zz%4g")]
    [InlineData("%%41", "%A")]
    [InlineData("%00%ff%C3%A9", "\0\u00ff\u00c3\u00a9")]
    [InlineData("%u0041", "%u0041")]
    [InlineData("\u00e9%41", "\u00e9A")]
    public void Apply_Input_DecodesAsModSecurity(string input, string expected) =>
        TransformationAssert.Transforms("urlDecode", input, expected);
}
