namespace Portcullis.Waf.Tests.Transformations;

public sealed class CompressWhitespaceTests
{
    [Theory]
    [InlineData("", "")]
    [InlineData("a b c", "a b c")]
    [InlineData("a \t\n b", "a b")]
    [InlineData("a\tb", "a b")] // A lone tab still becomes a space.
    [InlineData("  a  ", " a ")]
    [InlineData("a\u00a0\u00a0b", "a b")]
    [InlineData("a\u0085b", "a\u0085b")]
    public void Apply_Input_CompressesRuns(string input, string expected) =>
        TransformationAssert.Transforms("compressWhitespace", input, expected);
}
