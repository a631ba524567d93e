namespace Portcullis.Waf.Tests.Transformations;

public sealed class LengthTests
{
    [Theory]
    [InlineData("", "0")]
    [InlineData("abc", "3")]
    [InlineData("caf\u00c3\u00a9", "5")] // Bytes, not characters.
    public void Apply_Input_GivesByteCount(string input, string expected) =>
        TransformationAssert.Transforms("length", input, expected);

    [Fact]
    public void Apply_LongInput_GivesDecimal() =>
        TransformationAssert.Transforms("length", new string('x', 12345), "12345");
}
