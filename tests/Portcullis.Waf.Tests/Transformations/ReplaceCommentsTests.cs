namespace Portcullis.Waf.Tests.Transformations;

public sealed class ReplaceCommentsTests
{
    [Theory]
    [InlineData("", "")]
    [InlineData("no comment", "no comment")]
    [InlineData("UNION/**/SELECT", "UNION SELECT")]
    [InlineData("a/* x */b/*y*/c", "a b c")]
    [InlineData("a/* unterminated", "a ")]
    [InlineData("a/*", "a ")]
    [InlineData("a*/b", "a*/b")] // A lone close is text.
    [InlineData("/*/", " ")] // "/*" opens; "/" alone does not close.
    [InlineData("/**/", " ")]
    public void Apply_Input_ReplacesCommentsWithOneSpace(string input, string expected) =>
        TransformationAssert.Transforms("replaceComments", input, expected);
}
