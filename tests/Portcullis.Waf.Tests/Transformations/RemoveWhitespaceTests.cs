namespace Portcullis.Waf.Tests.Transformations;

public sealed class RemoveWhitespaceTests
{
    [Theory]
    [InlineData("", "")]
    [InlineData("select", "select")]
    [InlineData(" s e\tl\u00a0e\r\nc\v\ft ", "select")]
    [InlineData("a\u0085b", "a\u0085b")] // 0x85 is not C-locale whitespace.
    [InlineData("   ", "")]
    public void Apply_Input_RemovesWhitespaceAndNbsp(string input, string expected) =>
        TransformationAssert.Transforms("removeWhitespace", input, expected);
}
