namespace Portcullis.Waf.Detection;

/// <summary>
/// <c>@detectSQLi</c>: our own SQL injection detector in libinjection's design. The input is tokenized as SQL in each
/// context an injected value can land in (bare, inside '…', inside "…"; ANSI and MySQL comment rules), folded to
/// its first five shape tokens (<see cref="SqlFolder"/>), and the shape is looked up among the fingerprints known to
/// be injections (<see cref="SqlFingerprints"/>). Thread-safe; allocates only for the fingerprint of a match.
/// </summary>
internal static class SqlInjectionDetector
{
    private static readonly System.Buffers.SearchValues<char> WordChars =
        System.Buffers.SearchValues.Create("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz");

    public static bool IsSqlInjection(ReadOnlySpan<char> input, out string fingerprint)
    {
        fingerprint = string.Empty;
        return !IsOneToken(input) && Reads(input, out fingerprint);
    }

    /// <summary>
    /// True for a value that every reading takes as one token: a word of ASCII letters, digits and '_' that starts with
    /// a letter, or only digits ("EUR", "cus_5XJ81QWZ", "1240": most of a JSON post's values). One token's shape is one
    /// letter, and no fingerprint is; the numeric continuation of a lone UNION, GROUP or AND ("1U") is the one pair
    /// that is, and the short-shape filter refuses it unless more was folded away. Tested against the full reading on
    /// every keyword.
    /// </summary>
    internal static bool IsOneToken(ReadOnlySpan<char> input) =>
        !input.IsEmpty && input.IndexOfAnyExcept(WordChars) < 0
        && (char.IsAsciiLetter(input[0]) || input.IndexOfAnyExceptInRange('0', '9') < 0);

    /// <summary>Every reading of <paramref name="input"/> (<see cref="IsSqlInjection"/> without the one-token answer).</summary>
    internal static bool Reads(ReadOnlySpan<char> input, out string fingerprint)
    {
        fingerprint = string.Empty;
        if (input.IsEmpty)
        {
            return false;
        }
        var buffer = new SqlTokenBuffer();
        Span<SqlToken> tokens = buffer;
        Span<char> shape = stackalloc char[SqlFolder.MaxTokens];

        // Order as in ModSecurity's libinjection: bare ANSI, bare MySQL only if comments were ambiguous, then the
        // quote contexts when the input holds that quote at all.
        if (TryMode(input, new SqlParseMode('\0', MySql: false), tokens, shape, out var length, out var ambiguous)
            || (ambiguous && TryMode(input, new SqlParseMode('\0', MySql: true), tokens, shape, out length, out _)))
        {
            fingerprint = new string(shape[..length]);
            return true;
        }
        if (ContinuesAValue(tokens, shape)
            && TryMode(input, new SqlParseMode('\0', MySql: false, AfterNumber: true), tokens, shape, out length, out _))
        {
            fingerprint = new string(shape[..length]);
            return true;
        }
        if (input.Contains('\'')
            && (TryMode(input, new SqlParseMode('\'', MySql: false), tokens, shape, out length, out ambiguous)
                || (ambiguous && TryMode(input, new SqlParseMode('\'', MySql: true), tokens, shape, out length, out _))))
        {
            fingerprint = new string(shape[..length]);
            return true;
        }
        if (input.Contains('"') && TryMode(input, new SqlParseMode('"', MySql: true), tokens, shape, out length, out _))
        {
            fingerprint = new string(shape[..length]);
            return true;
        }
        return false;
    }

    /// <summary>
    /// Whether the bare reading (still in <paramref name="shape"/>) starts with what can only follow a value: a
    /// clause (ORDER BY, HAVING, LIMIT), UNION, AND/OR, ')' or ','. Only then is the numeric continuation tried, so
    /// prose that merely contains SQL words is not read as one.
    /// </summary>
    private static bool ContinuesAValue(ReadOnlySpan<SqlToken> tokens, ReadOnlySpan<char> shape) =>
        shape.Length > 0 && tokens[0].Type is SqlTokenType.Group or SqlTokenType.Union or SqlTokenType.LogicOperator
            or SqlTokenType.RightParen or SqlTokenType.Comma;

    /// <summary>The fingerprint of one reading, for tests and diagnostics.</summary>
    internal static string Fingerprint(ReadOnlySpan<char> input, SqlParseMode mode)
    {
        var buffer = new SqlTokenBuffer();
        Span<char> shape = stackalloc char[SqlFolder.MaxTokens];
        var length = Shape(input, mode, buffer, shape, out _);
        return new string(shape[..length]);
    }

    private static bool TryMode(ReadOnlySpan<char> input, SqlParseMode mode, Span<SqlToken> tokens, Span<char> shape,
        out int length, out bool ambiguous)
    {
        length = Shape(input, mode, tokens, shape, out var result);
        ambiguous = result.SawMySqlAmbiguity;
        if (IsLiteralBreakoutToComment(mode, tokens[..result.Count]))
        {
            return true;
        }
        return SqlFingerprints.Contains(shape[..length])
            && SqlShortShapeFilter.Confirms(input, tokens[..result.Count], result.TokensSeen);
    }

    /// <summary>
    /// <c>admin'--</c>: the input closes the application's literal and comments out the rest of its query. The
    /// fingerprint list leaves this two-token shape out (it is rare in text, but so short that the list's authors
    /// kept it out); it is the classic authentication bypass, so it counts when the quote and comment are real.
    /// </summary>
    private static bool IsLiteralBreakoutToComment(SqlParseMode mode, ReadOnlySpan<SqlToken> tokens) =>
        mode.Quote != '\0' && tokens.Length == 2
        && tokens[0].Type == SqlTokenType.String && tokens[0].OpenQuote == '\0' && tokens[0].CloseQuote != '\0'
        && tokens[1].Type == SqlTokenType.Comment;

    private static int Shape(ReadOnlySpan<char> input, SqlParseMode mode, Span<SqlToken> tokens, Span<char> shape,
        out SqlFoldResult result)
    {
        result = SqlFolder.Fold(input, mode, tokens);
        for (var i = 0; i < result.Count; i++)
        {
            if (tokens[i].Type == SqlTokenType.Evil)
            {
                // Input the engines cannot agree how to parse is reported as such.
                shape[0] = (char)SqlTokenType.Evil;
                return 1;
            }
            shape[i] = (char)tokens[i].Type;
        }
        return result.Count;
    }
}
