namespace Portcullis.Waf.Tests.Transformations;

public sealed class Base64DecodeTests
{
    [Theory]
    [InlineData("", "")]
    [InlineData("VGVzdENhc2U=", "TestCase")]
    [InlineData("dGVzdA==", "test")]
    [InlineData("dGVzdA", "test")] // Padding is optional: the partial group gives its whole bytes.
    [InlineData("dGVzdA==rest", "test")] // Decoding stops at the first non-alphabet byte.
    [InlineData("dGVz dA==", "tes")]
    [InlineData("!dGVz", "")]
    [InlineData("d", "")] // A lone sextet is no byte.
    [InlineData("/w==", "\u00ff")]
    [InlineData("dGVz-dA", "tes")] // URL-safe alphabet is not accepted.
    public void Apply_Input_DecodesLikeAprBase64(string input, string expected) =>
        TransformationAssert.Transforms("base64Decode", input, expected);
}
