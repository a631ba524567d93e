namespace Portcullis.Waf.Tests.Transformations;

public sealed class CssDecodeTests
{
    [Theory]
    [InlineData("", "")]
    [InlineData("no escapes", "no escapes")]
    [InlineData(@"\3c script\00003e", "<script>")] // One space after a hex escape is swallowed.
    [InlineData(@"\3c  x", "< x")] // Only one.
    [InlineData(@"\a", "\n")] // One digit is its own value.
    [InlineData(@"\41\041\0041", "AAA")]
    [InlineData(@"\ff21\FF41", "Aa")] // Four digits: full-width check.
    [InlineData(@"\0ff21", "A")] // Five digits with a leading zero: full-width check.
    [InlineData(@"\1ff21", "!")] // Five digits otherwise: last two only.
    [InlineData(@"\00ff21", "A")]
    [InlineData(@"\12ff21", "!")]
    [InlineData(@"\1234567", "V7")] // Six digits at most (last two: 0x56), the seventh stays text.
    [InlineData(@"\e9", "\u00e9")]
    [InlineData("a\\\nb", "ab")] // Backslash-newline is removed.
    [InlineData(@"\g\\\'", "g\\'")]
    [InlineData(@"abc\", "abc")] // A trailing backslash is dropped.
    public void Apply_Input_DecodesAsModSecurity(string input, string expected) =>
        TransformationAssert.Transforms("cssDecode", input, expected);
}
