namespace Portcullis.Waf.Tests.Transformations;

public sealed class JsDecodeTests
{
    [Theory]
    [InlineData("", "")]
    [InlineData("no escapes", "no escapes")]
    [InlineData(@"\x3cscript\u003e", "<script>")]
    [InlineData(@"\u0041\uff41\uFF0F", "Aa/")]
    [InlineData(@"\u2215", "\u0015")]
    [InlineData(@"\101\60\7", "A0\u0007")]
    [InlineData(@"\477", "'7")] // Three digits starting above 3 would overflow: two are used.
    [InlineData(@"\377", "\u00ff")]
    [InlineData(@"\a\b\f\n\r\t\v", "\a\b\f\n\r\t\v")]
    [InlineData(@"\'\""\\\/", "'\"\\/")]
    [InlineData(@"\u12", "u12")] // Malformed \u: the backslash goes, the rest stays.
    [InlineData(@"\x4", "x4")]
    [InlineData(@"\xZZ", "xZZ")]
    [InlineData(@"abc\", @"abc\")] // A trailing backslash is kept.
    [InlineData("\\\u00e9", "\u00e9")]
    public void Apply_Input_DecodesAsModSecurity(string input, string expected) =>
        TransformationAssert.Transforms("jsDecode", input, expected);
}
