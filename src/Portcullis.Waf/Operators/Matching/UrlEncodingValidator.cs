namespace Portcullis.Waf.Operators.Matching;

/// <summary>
/// <c>@validateUrlEncoding</c> (ModSecurity v2 <c>validate_url_encoding</c>): every <c>%</c> must be followed by two
/// hex digits. The first problem decides the result, scanning left to right; <c>+</c> and <c>%u</c> are not special
/// (<c>%u0041</c> is non-hex).
/// </summary>
internal static class UrlEncodingValidator
{
    public static UrlEncodingResult Validate(string input) => Validate(input, out _);

    /// <param name="input">The value, one char per byte.</param>
    /// <param name="offset">Where the bad <c>%</c> is, or -1 when valid.</param>
    public static UrlEncodingResult Validate(string input, out int offset)
    {
        var i = input.IndexOf('%', StringComparison.Ordinal);
        while (i >= 0)
        {
            offset = i;
            if (i + 2 >= input.Length)
            {
                return UrlEncodingResult.NotEnoughCharacters;
            }
            if (!char.IsAsciiHexDigit(input[i + 1]) || !char.IsAsciiHexDigit(input[i + 2]))
            {
                return UrlEncodingResult.NonHexaCharacters;
            }
            i = input.IndexOf('%', i + 3);
        }
        offset = -1;
        return UrlEncodingResult.Valid;
    }
}
