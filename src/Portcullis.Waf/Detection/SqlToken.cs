namespace Portcullis.Waf.Detection;

/// <summary>One token of the input: where it is, what it is, and for strings which quotes it really had.</summary>
internal struct SqlToken
{
    public SqlTokenType Type;

    /// <summary>Offset and length in the inspected input (a merged token spans all of its parts).</summary>
    public int Start;
    public int Length;

    /// <summary>The canonical (upper-case) spelling when the token is a known word or a merged phrase, else null.</summary>
    public string? Word;

    /// <summary>For strings: the opening and closing quote, '\0' when absent (a string that began before the input
    /// in a quote context, or ran to its end unterminated).</summary>
    public char OpenQuote;
    public char CloseQuote;

    public readonly char Letter => (char)Type;

    public readonly bool WordIs(string upper) => Word is not null && string.Equals(Word, upper, StringComparison.Ordinal);
}
