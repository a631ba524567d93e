namespace Portcullis.Waf.Detection;

/// <summary>Byte classes the SQL tokenizer dispatches on. Every input char is one byte (0x00–0xFF).</summary>
internal static class SqlChars
{
    /// <summary>
    /// Chars that end a bare word. Everything else, including '.', '$', digits and all bytes ≥ 0x80 except the
    /// no-break space, belongs to a word: MySQL identifiers may hold any of them.
    /// </summary>
    private const string WordEnders = " []{}<>:\\?=@!#~+-*/&|^%(),';\t\n\v\f\r\"\u00A0\0`";

    private static readonly bool[] EndsWord = Build(WordEnders);

    /// <summary>Control chars, space, DEL and 0xA0 separate tokens; MySQL and MSSQL accept the odd ones as
    /// whitespace, which attackers use to avoid a literal space.</summary>
    public static bool IsWhite(char c) => c <= ' ' || c == '\u007F' || c == '\u00A0';

    public static bool IsWordChar(char c) => c > 0xFF || !EndsWord[c];

    public static bool IsDigit(char c) => c is >= '0' and <= '9';

    public static bool IsHexDigit(char c) => char.IsAsciiHexDigit(c);

    public static bool IsLetter(char c) => char.IsAsciiLetter(c);

    /// <summary>Chars of a variable name after '@' or '@@': MySQL accepts the same bytes as in bare words.</summary>
    public static bool IsVariableChar(char c) => IsWordChar(c);

    private static bool[] Build(string chars)
    {
        var table = new bool[256];
        foreach (var c in chars)
        {
            table[c] = true;
        }
        return table;
    }
}
