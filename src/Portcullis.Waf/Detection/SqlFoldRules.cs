namespace Portcullis.Waf.Detection;

/// <summary>
/// The reductions <see cref="SqlFolder"/> applies to the top of its stack: first on the top two tokens, then on the
/// top three, until none applies.
/// </summary>
internal static class SqlFoldRules
{
    public static int Reduce(Span<SqlToken> t, int count, ReadOnlySpan<char> input)
    {
        while (true)
        {
            if (count >= 2 && ReducePair(t, ref count, input))
            {
                continue;
            }
            if (count >= 3 && ReduceTriple(t, ref count, input))
            {
                continue;
            }
            return count;
        }
    }

    public static bool IsUnary(in SqlToken token, ReadOnlySpan<char> input)
    {
        if (token.Type != SqlTokenType.Operator)
        {
            return false;
        }
        var text = Text(token, input);
        return text is "+" or "-" or "!" or "!!" or "~" || token.WordIs("NOT");
    }

    private static bool IsArithmetic(in SqlToken token, ReadOnlySpan<char> input)
    {
        if (token.Type != SqlTokenType.Operator)
        {
            return false;
        }
        var text = Text(token, input);
        return text is "-" or "+" or "~" or "!" or "/" or "%" or "*" or "|" or "&" or "<<" or ">>"
            || token.WordIs("DIV") || token.WordIs("MOD");
    }

    private static ReadOnlySpan<char> Text(in SqlToken token, ReadOnlySpan<char> input) =>
        input.Slice(token.Start, token.Length);

    private static void Drop(Span<SqlToken> t, ref int count, int index)
    {
        t[(index + 1)..count].CopyTo(t[index..]);
        count--;
    }

    private static bool ReducePair(Span<SqlToken> t, ref int count, ReadOnlySpan<char> input)
    {
        ref var a = ref t[count - 2];
        ref var b = ref t[count - 1];
        switch (a.Type)
        {
            case SqlTokenType.String when b.Type == SqlTokenType.String:
                // 'a' 'b' is one literal to MySQL (adjacent literals concatenate).
                a.Length = b.Start + b.Length - a.Start;
                a.CloseQuote = b.CloseQuote;
                count--;
                return true;
            case SqlTokenType.Semicolon when b.Type == SqlTokenType.Semicolon:
            // Nesting depth is not shape: "(((1" reads as "(1", "1)))" as "1)".
            case SqlTokenType.LeftParen when b.Type == SqlTokenType.LeftParen:
            case SqlTokenType.RightParen when b.Type == SqlTokenType.RightParen:
                count--;
                return true;
            case SqlTokenType.Operator or SqlTokenType.LogicOperator when IsUnary(b, input) || b.Type == SqlTokenType.SqlType:
                // "= -1", "and not 1", "= binary 'x'": the sign or cast does not change the shape.
                count--;
                return true;
            case SqlTokenType.LeftParen when IsUnary(b, input):
                count--;
                return true;
            case SqlTokenType.SqlType when b.Type is SqlTokenType.Bareword or SqlTokenType.Number or SqlTokenType.SqlType
                or SqlTokenType.LeftParen or SqlTokenType.Function or SqlTokenType.Variable or SqlTokenType.String:
                Drop(t, ref count, count - 2);
                return true;
            case SqlTokenType.Backslash:
                if (IsArithmetic(b, input))
                {
                    a.Type = SqlTokenType.Number;
                }
                else
                {
                    Drop(t, ref count, count - 2);
                }
                return true;
            case SqlTokenType.LeftBrace when b.Type == SqlTokenType.Bareword:
                // ODBC escapes: "{fn user()}", "{d '2001-01-01'}" — the brace and its tag are syntax, not shape.
                count -= 2;
                return true;
        }
        if (b.Type == SqlTokenType.RightBrace)
        {
            count--;
            return true;
        }
        if (TryMergeWords(ref a, b, input))
        {
            count--;
            return true;
        }
        return Retype(ref a, ref b);
    }

    /// <summary>Changes of meaning that depend on the next token; they never shrink the stack.</summary>
    private static bool Retype(ref SqlToken a, ref SqlToken b)
    {
        if (a.Type == SqlTokenType.Semicolon && b.Type == SqlTokenType.Function && b.WordIs("IF"))
        {
            b.Type = SqlTokenType.Tsql;
            return true;
        }
        if (a.Type is SqlTokenType.Bareword or SqlTokenType.Variable && b.Type == SqlTokenType.LeftParen && IsNiladicFunctionName(a))
        {
            a.Type = SqlTokenType.Function;
            return true;
        }
        if (a.Type == SqlTokenType.Keyword && (a.WordIs("IN") || a.WordIs("NOT IN")))
        {
            // "IN (" is the membership operator; a lone "in" is an ordinary word ("sign in now").
            a.Type = b.Type == SqlTokenType.LeftParen ? SqlTokenType.Operator : SqlTokenType.Bareword;
            return true;
        }
        if (a.Type == SqlTokenType.Operator && (a.WordIs("LIKE") || a.WordIs("NOT LIKE")) && b.Type == SqlTokenType.LeftParen)
        {
            a.Type = SqlTokenType.Function;
            return true;
        }
        if (a.Type == SqlTokenType.Collate && b.Type == SqlTokenType.Bareword && b.Word is null)
        {
            // "COLLATE utf8_bin": collation names read as type names.
            b.Type = SqlTokenType.SqlType;
            return true;
        }
        return false;
    }

    private static bool IsNiladicFunctionName(in SqlToken token) =>
        token.WordIs("USER_ID") || token.WordIs("USER_NAME") || token.WordIs("DATABASE") || token.WordIs("PASSWORD")
        || token.WordIs("USER") || token.WordIs("CURRENT_USER") || token.WordIs("CURRENT_DATE")
        || token.WordIs("CURRENT_TIME") || token.WordIs("CURRENT_TIMESTAMP") || token.WordIs("LOCALTIME")
        || token.WordIs("LOCALTIMESTAMP");

    /// <summary>"UNION ALL", "ORDER BY", "IS NOT", "WAITFOR DELAY": two words the vocabulary knows as one.</summary>
    private static bool TryMergeWords(ref SqlToken a, in SqlToken b, ReadOnlySpan<char> input)
    {
        if (!IsMergeable(a, input) || !IsMergeable(b, input))
        {
            return false;
        }
        var left = a.Word is null ? Text(a, input) : a.Word.AsSpan();
        var right = b.Word is null ? Text(b, input) : b.Word.AsSpan();
        if (left.Length + 1 + right.Length > SqlKeywords.MaxLength)
        {
            return false;
        }
        Span<char> phrase = stackalloc char[SqlKeywords.MaxLength];
        left.CopyTo(phrase);
        phrase[left.Length] = ' ';
        right.CopyTo(phrase[(left.Length + 1)..]);
        if (!SqlKeywords.TryGet(phrase[..(left.Length + 1 + right.Length)], out var type, out var canonical))
        {
            return false;
        }
        a.Type = type;
        a.Word = canonical;
        a.Length = b.Start + b.Length - a.Start;
        return true;
    }

    private static bool IsMergeable(in SqlToken token, ReadOnlySpan<char> input) =>
        token.Type is SqlTokenType.Keyword or SqlTokenType.Bareword or SqlTokenType.Operator or SqlTokenType.Union
            or SqlTokenType.Function or SqlTokenType.Expression or SqlTokenType.Tsql or SqlTokenType.SqlType
            or SqlTokenType.LogicOperator or SqlTokenType.Group or SqlTokenType.Collate
        && token.Length > 0 && (char.IsAsciiLetter(input[token.Start]) || input[token.Start] == '_');

    private static bool ReduceTriple(Span<SqlToken> t, ref int count, ReadOnlySpan<char> input)
    {
        ref var a = ref t[count - 3];
        ref var b = ref t[count - 2];
        ref var c = ref t[count - 1];
        var shape = (a.Type, b.Type, c.Type);
        switch (shape)
        {
            // Arithmetic and comparison between operands is one operand: "1+1", "a=b", "@x:=1".
            case (SqlTokenType.Number or SqlTokenType.Bareword, SqlTokenType.Operator, SqlTokenType.Number or SqlTokenType.Bareword):
            case (SqlTokenType.Variable, SqlTokenType.Operator, SqlTokenType.Variable or SqlTokenType.Number or SqlTokenType.Bareword):
            // "o x o" keeps the first operator; "AND x AND" the first logic operator.
            case (SqlTokenType.Operator, not SqlTokenType.LeftParen, SqlTokenType.Operator):
            case (SqlTokenType.LogicOperator, _, SqlTokenType.LogicOperator):
            // Lists of plain values are one value: "1,2,3".
            case (SqlTokenType.Number or SqlTokenType.Bareword or SqlTokenType.String or SqlTokenType.Variable, SqlTokenType.Comma,
                SqlTokenType.Number or SqlTokenType.Bareword or SqlTokenType.String or SqlTokenType.Variable):
            // Qualified names: "db.table".
            case (SqlTokenType.Bareword, SqlTokenType.Dot, SqlTokenType.Bareword):
                count -= 2;
                return true;
            // PostgreSQL casts: "'1'::int".
            case (SqlTokenType.Number or SqlTokenType.Bareword or SqlTokenType.String or SqlTokenType.Variable, SqlTokenType.Operator, SqlTokenType.SqlType)
                when Text(b, input) is "::":
                count -= 2;
                return true;
            // A sign between a keyword or separator and an operand is noise: "select -1", "group by -(1)", ", +x".
            case (SqlTokenType.Expression or SqlTokenType.Group or SqlTokenType.Comma, SqlTokenType.Operator, SqlTokenType.LeftParen)
                when IsUnary(b, input):
            case (SqlTokenType.Keyword or SqlTokenType.Expression or SqlTokenType.Comma, SqlTokenType.Operator,
                SqlTokenType.Number or SqlTokenType.Bareword or SqlTokenType.Variable or SqlTokenType.String or SqlTokenType.Function)
                when IsUnary(b, input):
            // "select.x": MySQL reads the dot as a separator.
            case (SqlTokenType.Expression, SqlTokenType.Dot, SqlTokenType.Bareword):
                Drop(t, ref count, count - 2);
                return true;
        }
        if (a.Type == SqlTokenType.Function && b.Type == SqlTokenType.LeftParen && c.Type != SqlTokenType.RightParen && a.WordIs("USER"))
        {
            // USER(x) is not MySQL's niladic USER(); it is a call of something named user.
            a.Type = SqlTokenType.Bareword;
            return false;
        }
        return false;
    }
}
