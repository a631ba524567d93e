namespace Portcullis.Waf.Detection;

/// <summary>
/// Second opinion on matches of two or three tokens: such short shapes ("1 union", "word -- comment", "x and 17")
/// occur in ordinary text, so they count only with corroborating evidence. These are libinjection's documented
/// false-positive reductions, restated as rules.
/// </summary>
internal static class SqlShortShapeFilter
{
    public static bool Confirms(ReadOnlySpan<char> input, ReadOnlySpan<SqlToken> tokens, int tokensSeen)
    {
        if (tokens.Length > 1 && tokens[^1].Type == SqlTokenType.Comment
            && input.IndexOf("sp_password", StringComparison.OrdinalIgnoreCase) >= 0)
        {
            // MSSQL keeps statements mentioning sp_password out of its audit log: a known way to hide an injection.
            return true;
        }
        return tokens.Length switch
        {
            2 => ConfirmsPair(input, tokens, tokensSeen),
            3 => ConfirmsTriple(input, tokens, tokensSeen),
            _ => true,
        };
    }

    private static bool ConfirmsPair(ReadOnlySpan<char> input, ReadOnlySpan<SqlToken> t, int tokensSeen)
    {
        var second = t[1];
        if (second.Type == SqlTokenType.Union)
        {
            // "1 union" alone is prose; with anything folded away around it, it is not.
            return tokensSeen > 2;
        }
        if (second.Type != SqlTokenType.Comment)
        {
            return true;
        }
        var commentStart = input[second.Start];
        if (commentStart == '#')
        {
            return false;
        }
        if (t[0].Type == SqlTokenType.Bareword)
        {
            // "word -- text" is how people write; only a C-style comment after a word looks like SQL.
            return commentStart == '/';
        }
        if (t[0].Type == SqlTokenType.Number)
        {
            if (commentStart == '/' || tokensSeen > 2)
            {
                return true;
            }
            // "1234 --" or "1234--" is a probe; "1234-ABCdef--" (base64-ish ids) only folds to the same shape.
            var after = t[0].Start + t[0].Length;
            var next = after < input.Length ? input[after] : '\0';
            var nextButOne = after + 1 < input.Length ? input[after + 1] : '\0';
            return next <= ' ' || (next == '-' && nextButOne == '-');
        }
        // A dash comment with text after it ("x -- see below") is prose; ending in "--" is a probe.
        return !(second.Length > 2 && commentStart == '-');
    }

    private static bool ConfirmsTriple(ReadOnlySpan<char> input, ReadOnlySpan<SqlToken> t, int tokensSeen)
    {
        Span<char> shape = [(char)t[0].Type, (char)t[1].Type, (char)t[2].Type];
        if (shape is "sos" or "s&s")
        {
            // foo' + 'bar: both strings open and close inside the input around the operator, as in a broken-out
            // literal. A bare "'a' or 'b'" of three tokens is a quotation.
            return t[0].OpenQuote == '\0' && t[2].CloseQuote == '\0' && t[0].CloseQuote == t[2].OpenQuote;
        }
        if (shape is "s&n" or "n&1" or "1&1" or "1&v" or "1&s")
        {
            // "sexy and 17" is prose; "sexy and 17<18" folded to the same shape is not.
            return tokensSeen > 3;
        }
        if (t[1].Type == SqlTokenType.Keyword)
        {
            // Only INTO OUTFILE / INTO DUMPFILE make "x keyword y" worth blocking.
            var word = input.Slice(t[1].Start, t[1].Length);
            return word.Length >= 5 && word.StartsWith("INTO", StringComparison.OrdinalIgnoreCase);
        }
        return true;
    }
}
