using Portcullis.Waf.Operators.Matching;

namespace Portcullis.Waf.Tests.Operators.Matching;

/// <summary>Inputs are raw bytes as Latin-1 chars.</summary>
public sealed class Utf8EncodingValidatorTests
{
    [Theory]
    [InlineData("", nameof(Utf8EncodingResult.Valid), -1)]
    [InlineData("plain ascii \0", nameof(Utf8EncodingResult.Valid), -1)]
    [InlineData("caf\u00c3\u00a9 \u00e2\u0082\u00ac \u00f0\u009f\u0098\u0080", nameof(Utf8EncodingResult.Valid), -1)]
    [InlineData("\u00f4\u008f\u00bf\u00bf", nameof(Utf8EncodingResult.Valid), -1)] // U+10FFFF, the last one.
    [InlineData("ab\u00c3", nameof(Utf8EncodingResult.NotEnoughBytes), 2)]
    [InlineData("\u00e2\u0082", nameof(Utf8EncodingResult.NotEnoughBytes), 0)]
    [InlineData("\u00c3A", nameof(Utf8EncodingResult.InvalidEncoding), 0)]
    [InlineData("x\u0080", nameof(Utf8EncodingResult.InvalidEncoding), 1)] // Stray continuation byte.
    [InlineData("\u00ff", nameof(Utf8EncodingResult.InvalidEncoding), 0)]
    [InlineData("\u00c0\u00af", nameof(Utf8EncodingResult.OverlongCharacter), 0)] // '/' in two bytes.
    [InlineData("\u00e0\u0080\u00af", nameof(Utf8EncodingResult.OverlongCharacter), 0)]
    [InlineData("\u00f0\u0080\u0080\u00af", nameof(Utf8EncodingResult.OverlongCharacter), 0)] // v2's "< 6" bug misses this.
    [InlineData("\u00ed\u00a0\u0080", nameof(Utf8EncodingResult.RestrictedCharacter), 0)] // Surrogate.
    [InlineData("\u00f5\u0080\u0080\u0080", nameof(Utf8EncodingResult.RestrictedCharacter), 0)]
    [InlineData("\u00f4\u0090\u0080\u0080", nameof(Utf8EncodingResult.RestrictedCharacter), 0)] // U+110000.
    public void Validate_Bytes_ClassifiesAsModSecurity(string input, string expected, int offset)
    {
        Assert.Equal(Enum.Parse<Utf8EncodingResult>(expected), Utf8EncodingValidator.Validate(input, out var at));
        Assert.Equal(offset, at);
    }
}
