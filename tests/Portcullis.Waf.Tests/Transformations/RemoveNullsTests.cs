namespace Portcullis.Waf.Tests.Transformations;

public sealed class RemoveNullsTests
{
    [Theory]
    [InlineData("", "")]
    [InlineData("abc", "abc")]
    [InlineData("\0a\0\0b\0", "ab")]
    [InlineData("\0", "")]
    [InlineData("\u00ff\0\u0080", "\u00ff\u0080")]
    public void Apply_Input_RemovesNulBytes(string input, string expected) =>
        TransformationAssert.Transforms("removeNulls", input, expected);
}
