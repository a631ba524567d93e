using Portcullis.Waf.Operators.Matching;

namespace Portcullis.Waf.Tests.Operators.Matching;

public sealed class UrlEncodingValidatorTests
{
    [Theory]
    [InlineData("", nameof(UrlEncodingResult.Valid), -1)]
    [InlineData("a+b%20c%C3%A9", nameof(UrlEncodingResult.Valid), -1)]
    [InlineData("%", nameof(UrlEncodingResult.NotEnoughCharacters), 0)]
    [InlineData("abc%4", nameof(UrlEncodingResult.NotEnoughCharacters), 3)]
    [InlineData("%zz", nameof(UrlEncodingResult.NonHexaCharacters), 0)]
    [InlineData("%41%4g", nameof(UrlEncodingResult.NonHexaCharacters), 3)]
    [InlineData("%u0041", nameof(UrlEncodingResult.NonHexaCharacters), 0)]
    [InlineData("%g%", nameof(UrlEncodingResult.NonHexaCharacters), 0)] // The first problem decides.
    [InlineData("\u00e9%41", nameof(UrlEncodingResult.Valid), -1)]
    public void Validate_Input_ClassifiesAsModSecurity(string input, string expected, int offset)
    {
        Assert.Equal(Enum.Parse<UrlEncodingResult>(expected), UrlEncodingValidator.Validate(input, out var at));
        Assert.Equal(offset, at);
    }
}
