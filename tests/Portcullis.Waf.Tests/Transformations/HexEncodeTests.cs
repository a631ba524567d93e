namespace Portcullis.Waf.Tests.Transformations;

public sealed class HexEncodeTests
{
    [Theory]
    [InlineData("", "")]
    [InlineData("Az", "417a")]
    [InlineData("\0\u00ff\u0080", "00ff80")]
    public void Apply_Input_GivesLowercaseHex(string input, string expected) =>
        TransformationAssert.Transforms("hexEncode", input, expected);
}
