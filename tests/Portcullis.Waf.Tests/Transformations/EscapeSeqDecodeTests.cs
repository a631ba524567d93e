namespace Portcullis.Waf.Tests.Transformations;

public sealed class EscapeSeqDecodeTests
{
    [Theory]
    [InlineData("", "")]
    [InlineData("plain", "plain")]
    [InlineData(@"\a\b\f\n\r\t\v\\\?\'\""", "\a\b\f\n\r\t\v\\?'\"")]
    [InlineData(@"\x41\X42", "AB")]
    [InlineData(@"\x4", "x4")] // Malformed hex: the backslash goes.
    [InlineData(@"\xZZ", "xZZ")]
    [InlineData(@"\101\60\7x", "A0\u0007x")]
    [InlineData(@"\777", "\u00ff")] // No two-digit rule here (unlike jsDecode): low byte of 0777.
    [InlineData(@"\q", "q")]
    [InlineData(@"abc\", @"abc\")]
    public void Apply_Input_DecodesAsModSecurity(string input, string expected) =>
        TransformationAssert.Transforms("escapeSeqDecode", input, expected);
}
