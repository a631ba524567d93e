namespace Portcullis.Waf.BodyProcessors;

/// <summary>Character classes of the C library in the "C" locale, as ModSecurity's multipart code uses them.</summary>
internal static class MultipartSyntax
{
    /// <summary>C <c>isspace</c>: space, \t, \n, \v, \f, \r.</summary>
    public static bool IsSpace(int c) => c is ' ' or '\t' or '\n' or '\v' or '\f' or '\r';

    /// <summary>ModSecurity's <c>is_token_char</c> (RFC 2616 token: no CTLs, no separators).</summary>
    public static bool IsTokenChar(char c) =>
        c is > ' ' and < '\x7F'
        && c is not ('(' or ')' or '<' or '>' or '@' or ',' or ';' or ':' or '\\' or '"' or '/' or '[' or ']' or '?' or '=');

    /// <summary>ASCII-only case-insensitive prefix test (C <c>strncasecmp</c>): Latin-1 letters never fold to ASCII.</summary>
    public static bool StartsWithAsciiIgnoreCase(ReadOnlySpan<char> value, string prefix)
    {
        if (value.Length < prefix.Length)
        {
            return false;
        }
        for (var i = 0; i < prefix.Length; i++)
        {
            if (ToLowerAscii(value[i]) != ToLowerAscii(prefix[i]))
            {
                return false;
            }
        }
        return true;
    }

    public static char ToLowerAscii(char c) => c is >= 'A' and <= 'Z' ? (char)(c | 0x20) : c;
}
