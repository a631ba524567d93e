namespace Portcullis.Waf.Transformations;

/// <summary>
/// The <c>&lt;ctype.h&gt;</c> predicates ModSecurity v2 uses, as they behave in the C locale: ASCII only, so bytes
/// ≥ 0x80 are never spaces, letters or digits (unlike <see cref="char.IsWhiteSpace(char)"/>, which accepts 0x85/0xA0).
/// </summary>
internal static class CType
{
    /// <summary>The non-breaking space byte, which ModSecurity treats as whitespace in a few transformations.</summary>
    public const char Nbsp = '\u00A0';

    /// <summary><c>isspace()</c>: space, \t, \n, \v, \f, \r.</summary>
    public static bool IsSpace(char c) => c == ' ' || (c >= '\t' && c <= '\r');

    public static bool IsHexDigit(char c) => char.IsAsciiHexDigit(c);

    public static bool IsDigit(char c) => char.IsAsciiDigit(c);

    public static bool IsOctalDigit(char c) => c >= '0' && c <= '7';

    public static bool IsAlnum(char c) => char.IsAsciiLetterOrDigit(c);

    /// <summary><c>tolower()</c>: A–Z only.</summary>
    public static char ToLower(char c) => char.IsAsciiLetterUpper(c) ? (char)(c | 0x20) : c;

    /// <summary><c>toupper()</c>: a–z only.</summary>
    public static char ToUpper(char c) => char.IsAsciiLetterLower(c) ? (char)(c & ~0x20) : c;

    /// <summary>Value of a hex digit the caller has already validated.</summary>
    public static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;

    /// <summary>The byte two validated hex digits spell (ModSecurity's <c>x2c</c>).</summary>
    public static char HexPair(char high, char low) => (char)((HexValue(high) << 4) | HexValue(low));

    public static bool IsF(char c) => c is 'f' or 'F';

    /// <summary>Lowercase hex digit for a nibble (ModSecurity prints with <c>%x</c> / <c>c2x</c>).</summary>
    public static char HexDigit(int nibble) => (char)(nibble < 10 ? '0' + nibble : 'a' + nibble - 10);
}
