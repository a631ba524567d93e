namespace Portcullis.Waf.Detection;

/// <summary>
/// Reduces the token stream to the first five "shape" tokens: what a SQL grammar would see at the top level once
/// arithmetic, lists, casts, qualified names and multi-word keywords collapse. <c>1 UNION ALL SELECT a.b, 2</c>
/// and <c>-9 /**/ union select x</c> both become <c>1 U E n</c>; the shape, not the spelling, is then judged.
/// The reductions are applied to the top of a small stack after every token, so the work stays linear.
/// </summary>
internal static class SqlFolder
{
    public const int MaxTokens = 5;

    /// <summary>Stop reading once this many tokens are stacked: the first five can no longer change.</summary>
    private const int Lookahead = MaxTokens + 2;

    public static SqlFoldResult Fold(ReadOnlySpan<char> input, SqlParseMode mode, Span<SqlToken> tokens)
    {
        var tokenizer = new SqlTokenizer(input, mode);
        var count = 0;
        var seen = 0;
        var trailingComment = default(SqlToken);
        var endsInComment = false;

        bool more;
        SqlToken token;
        if (mode.AfterNumber)
        {
            // The value this input continues: an empty number token in front of it.
            tokens[count++] = new SqlToken { Type = SqlTokenType.Number };
            more = tokenizer.Next(out token);
        }
        else
        {
            // Leading comments, '(' , type names and unary signs say nothing about the shape: "((-1 or 1" is "1 or 1".
            while ((more = tokenizer.Next(out token)) && IsLeadingNoise(token, input))
            {
            }
        }

        while (more)
        {
            seen++;
            if (token.Type == SqlTokenType.Comment)
            {
                // Comments vanish, except one that ends the input: "1 OR 1--" differs from "1 OR 1".
                trailingComment = token;
                endsInComment = true;
            }
            else
            {
                endsInComment = false;
                tokens[count++] = token;
                count = SqlFoldRules.Reduce(tokens, count, input);
                if (count >= Lookahead)
                {
                    break;
                }
            }
            more = tokenizer.Next(out token);
        }

        count = Math.Min(count, MaxTokens);
        if (count < MaxTokens && endsInComment)
        {
            tokens[count++] = trailingComment;
        }
        return new SqlFoldResult(count, seen, tokenizer.SawMySqlAmbiguity);
    }

    private static bool IsLeadingNoise(in SqlToken token, ReadOnlySpan<char> input) =>
        token.Type is SqlTokenType.Comment or SqlTokenType.LeftParen or SqlTokenType.SqlType
        || SqlFoldRules.IsUnary(token, input);
}
