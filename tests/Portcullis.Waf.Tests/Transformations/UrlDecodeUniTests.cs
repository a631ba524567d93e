namespace Portcullis.Waf.Tests.Transformations;

public sealed class UrlDecodeUniTests
{
    [Theory]
    [InlineData("", "")]
    [InlineData("plain", "plain")]
    [InlineData("a%20b+c", "a b c")]
    [InlineData("%u0041%U0042", "AB")]
    [InlineData("%u00e9", "\u00e9")]
    [InlineData("%u2215", "\u0015")] // Only the low byte is kept.
    [InlineData("%uff0f%uFF1C%uff41", "/<a")] // Full-width ASCII maps to ASCII.
    [InlineData("%uff00%uff5f", "\0\u005f")] // Outside FF01-FF5E: plain low byte.
    [InlineData("%u004", "%u004")] // Truncated: "%u" copied, the rest is text.
    [InlineData("%u", "%u")]
    [InlineData("%u00zz", "%u00zz")]
    [InlineData("%u%41", "%uA")]
    [InlineData("abc%", "abc%")]
    [InlineData("%4", "%4")]
    [InlineData("%g1%41", "%g1A")]
    [InlineData("\u00ff%ff", "\u00ff\u00ff")]
    public void Apply_Input_DecodesAsModSecurity(string input, string expected) =>
        TransformationAssert.Transforms("urlDecodeUni", input, expected);
}
