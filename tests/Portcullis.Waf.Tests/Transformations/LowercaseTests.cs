namespace Portcullis.Waf.Tests.Transformations;

public sealed class LowercaseTests
{
    [Theory]
    [InlineData("", "")]
    [InlineData("already lower 123", "already lower 123")]
    [InlineData("SeLeCT", "select")]
    [InlineData("\u00c9A\u00c0", "\u00c9a\u00c0")] // C locale: bytes >= 0x80 never fold.
    [InlineData("@[`{", "@[`{")]
    public void Apply_Input_LowersAsciiOnly(string input, string expected) =>
        TransformationAssert.Transforms("lowercase", input, expected);
}
