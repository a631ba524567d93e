namespace Portcullis.Waf.Detection;

/// <summary>
/// Splits input into SQL tokens the way a permissive SQL parser (MySQL, MSSQL, PostgreSQL, Oracle together) would
/// see them. It never fails: every byte ends up in some token, so the work is linear in the input.
/// </summary>
internal ref struct SqlTokenizer
{
    private readonly ReadOnlySpan<char> _s;
    private readonly SqlParseMode _mode;
    private int _pos;
    private bool _inMySqlComment;

    public SqlTokenizer(ReadOnlySpan<char> input, SqlParseMode mode)
    {
        _s = input;
        _mode = mode;
    }

    /// <summary>Set when an ANSI reading met a comment MySQL reads differently ('#', or '--' not followed by a space),
    /// so a MySQL reading is worth trying.</summary>
    public bool SawMySqlAmbiguity { get; private set; }

    public bool Next(out SqlToken token)
    {
        token = default;
        if (_pos == 0 && _mode.Quote != '\0')
        {
            // The input continues a literal the application opened: it is a string up to the first unescaped quote.
            ReadString(0, _mode.Quote, hasOpening: false, ref token);
            return true;
        }
        while (_pos < _s.Length)
        {
            var c = _s[_pos];
            if (SqlChars.IsWhite(c))
            {
                _pos++;
                continue;
            }
            if (_inMySqlComment && c == '*' && At(_pos + 1) == '/')
            {
                // The end of a /*! … */ block whose content MySQL executes.
                _inMySqlComment = false;
                _pos += 2;
                continue;
            }
            Read(c, ref token);
            return true;
        }
        return false;
    }

    private readonly char At(int i) => i < _s.Length ? _s[i] : '\0';

    private readonly bool Has(int i) => i < _s.Length;

    private void Read(char c, ref SqlToken token)
    {
        switch (c)
        {
            case '\'' or '"':
                ReadString(_pos, c, hasOpening: true, ref token);
                return;
            case '`':
                ReadQuotedName('`', ref token);
                return;
            case '[':
                ReadQuotedName(']', ref token);
                return;
            case '(' or ')' or ',' or ';' or '{' or '}':
                Single((SqlTokenType)c, ref token);
                return;
            case '?' or ']':
                Single(SqlTokenType.Unknown, ref token);
                return;
            case '%' or '+' or '^' or '~':
                Single(SqlTokenType.Operator, ref token);
                return;
            case '!' or '&' or '*' or ':' or '<' or '=' or '>' or '|':
                ReadOperator(ref token);
                return;
            case '-':
                ReadDash(ref token);
                return;
            case '/':
                ReadSlash(ref token);
                return;
            case '#':
                ReadHash(ref token);
                return;
            case '\\':
                ReadBackslash(ref token);
                return;
            case '@':
                ReadVariable(ref token);
                return;
            case '$':
                ReadDollar(ref token);
                return;
            case '.':
                if (SqlChars.IsDigit(At(_pos + 1)))
                {
                    ReadNumber(ref token);
                }
                else
                {
                    Single(SqlTokenType.Dot, ref token);
                }
                return;
            default:
                if (SqlChars.IsDigit(c))
                {
                    ReadNumber(ref token);
                }
                else if (!TryReadPrefixedLiteral(c, ref token))
                {
                    ReadWord(ref token);
                }
                return;
        }
    }

    private void Set(SqlTokenType type, int start, int end, ref SqlToken token)
    {
        token.Type = type;
        token.Start = start;
        token.Length = end - start;
        _pos = end;
    }

    private void Single(SqlTokenType type, ref SqlToken token) => Set(type, _pos, _pos + 1, ref token);

    /// <summary>
    /// A quoted literal. A quote preceded by an odd run of backslashes is escaped (MySQL), a doubled quote is an
    /// escaped quote (standard SQL); an unterminated literal runs to the end of the input.
    /// </summary>
    private void ReadString(int start, char quote, bool hasOpening, ref SqlToken token)
    {
        var bodyStart = hasOpening ? start + 1 : start;
        var close = FindClosingQuote(_s, bodyStart, quote);
        token.OpenQuote = hasOpening ? quote : '\0';
        if (close < 0)
        {
            token.CloseQuote = '\0';
            Set(SqlTokenType.String, start, _s.Length, ref token);
        }
        else
        {
            token.CloseQuote = quote;
            Set(SqlTokenType.String, start, close + 1, ref token);
        }
    }

    internal static int FindClosingQuote(ReadOnlySpan<char> s, int from, char quote)
    {
        var i = from;
        while (i < s.Length)
        {
            var rel = s[i..].IndexOf(quote);
            if (rel < 0)
            {
                return -1;
            }
            var q = i + rel;
            var backslashes = 0;
            for (var b = q - 1; b >= from && s[b] == '\\'; b--)
            {
                backslashes++;
            }
            if (backslashes % 2 == 1)
            {
                i = q + 1;
                continue;
            }
            if (q + 1 < s.Length && s[q + 1] == quote)
            {
                i = q + 2;
                continue;
            }
            return q;
        }
        return -1;
    }

    /// <summary>`name` (MySQL) and [name] (MSSQL) are identifiers, whatever they spell.</summary>
    private void ReadQuotedName(char close, ref SqlToken token)
    {
        var rel = _s[(_pos + 1)..].IndexOf(close);
        var end = rel < 0 ? _s.Length : _pos + 1 + rel + 1;
        Set(SqlTokenType.Bareword, _pos, end, ref token);
    }

    private void ReadOperator(ref SqlToken token)
    {
        var c = _s[_pos];
        if (c == '<' && At(_pos + 1) == '=' && At(_pos + 2) == '>')
        {
            Set(SqlTokenType.Operator, _pos, _pos + 3, ref token);
            return;
        }
        if (Has(_pos + 1) && SqlKeywords.TryGet(_s.Slice(_pos, 2), out var type, out var word))
        {
            token.Word = word;
            Set(type, _pos, _pos + 2, ref token);
            return;
        }
        Set(c == ':' ? SqlTokenType.Colon : SqlTokenType.Operator, _pos, _pos + 1, ref token);
    }

    /// <summary>'--' starts a comment in ANSI SQL; MySQL needs whitespace (or the end) after it.</summary>
    private void ReadDash(ref SqlToken token)
    {
        if (At(_pos + 1) == '-')
        {
            var spaced = !Has(_pos + 2) || SqlChars.IsWhite(_s[_pos + 2]);
            if (spaced || !_mode.MySql)
            {
                if (!spaced)
                {
                    SawMySqlAmbiguity = true;
                }
                ReadLineComment(ref token);
                return;
            }
        }
        Single(SqlTokenType.Operator, ref token);
    }

    private void ReadHash(ref SqlToken token)
    {
        if (_mode.MySql)
        {
            ReadLineComment(ref token);
            return;
        }
        SawMySqlAmbiguity = true;
        Single(SqlTokenType.Operator, ref token);
    }

    private void ReadLineComment(ref SqlToken token)
    {
        var rel = _s[_pos..].IndexOf('\n');
        Set(SqlTokenType.Comment, _pos, rel < 0 ? _s.Length : _pos + rel, ref token);
    }

    private void ReadSlash(ref SqlToken token)
    {
        if (At(_pos + 1) != '*')
        {
            Single(SqlTokenType.Operator, ref token);
            return;
        }
        if (At(_pos + 2) == '!')
        {
            // MySQL runs the body of /*! … */ (optionally /*!50000 … */) as SQL: read on inside it.
            var p = _pos + 3;
            while (p < _s.Length && p < _pos + 8 && SqlChars.IsDigit(_s[p]))
            {
                p++;
            }
            _inMySqlComment = true;
            _pos = p;
            if (!Next(out token))
            {
                Set(SqlTokenType.Comment, _pos, _s.Length, ref token);
            }
            return;
        }
        var bodyStart = _pos + 2;
        var rel = _s[bodyStart..].IndexOf("*/");
        var bodyEnd = rel < 0 ? _s.Length : bodyStart + rel;
        var end = rel < 0 ? _s.Length : bodyEnd + 2;
        // PostgreSQL nests comments, other engines do not: a "/*" inside a comment means the engines disagree on
        // where the comment ends, an evasion on its own. As libinjection (parse_slash) does, the search runs up to
        // and including the '*' of the closing "*/", so a body ending in '/' ("/*/*/") opens a nested comment too.
        var nestedEnd = rel < 0 ? bodyEnd : bodyEnd + 1;
        var type = _s[bodyStart..nestedEnd].IndexOf("/*") >= 0 ? SqlTokenType.Evil : SqlTokenType.Comment;
        Set(type, _pos, end, ref token);
    }

    /// <summary>MySQL's \N is NULL; any other backslash outside a string is stray.</summary>
    private void ReadBackslash(ref SqlToken token)
    {
        if (At(_pos + 1) == 'N')
        {
            Set(SqlTokenType.Number, _pos, _pos + 2, ref token);
            return;
        }
        Single(SqlTokenType.Backslash, ref token);
    }

    /// <summary>@var, @@system_var, and the quoted forms @'x', @"x", @`x`.</summary>
    private void ReadVariable(ref SqlToken token)
    {
        var p = _pos + 1;
        if (At(p) == '@')
        {
            p++;
        }
        var c = At(p);
        if (Has(p) && c is '\'' or '"' or '`')
        {
            var close = FindClosingQuote(_s, p + 1, c);
            Set(SqlTokenType.Variable, _pos, close < 0 ? _s.Length : close + 1, ref token);
            return;
        }
        while (p < _s.Length && SqlChars.IsVariableChar(_s[p]))
        {
            p++;
        }
        Set(SqlTokenType.Variable, _pos, p, ref token);
    }

    /// <summary>$1.50 is money (a number), $$…$$ and $tag$…$tag$ are PostgreSQL strings.</summary>
    private void ReadDollar(ref SqlToken token)
    {
        var p = _pos + 1;
        if (SqlChars.IsDigit(At(p)))
        {
            while (p < _s.Length && (SqlChars.IsDigit(_s[p]) || _s[p] is '.' or ','))
            {
                p++;
            }
            Set(SqlTokenType.Number, _pos, p, ref token);
            return;
        }
        while (p < _s.Length && (SqlChars.IsLetter(_s[p]) || _s[p] == '_'))
        {
            p++;
        }
        if (At(p) == '$')
        {
            var tag = _s[_pos..(p + 1)];
            var rel = _s[(p + 1)..].IndexOf(tag);
            token.OpenQuote = '$';
            token.CloseQuote = rel < 0 ? '\0' : '$';
            Set(SqlTokenType.String, _pos, rel < 0 ? _s.Length : p + 1 + rel + tag.Length, ref token);
            return;
        }
        Set(SqlTokenType.Bareword, _pos, Math.Max(p, _pos + 1), ref token);
    }

    private void ReadNumber(ref SqlToken token)
    {
        var start = _pos;
        var p = _pos;
        if (_s[p] == '0' && At(p + 1) is 'x' or 'X' or 'b' or 'B')
        {
            var hex = At(p + 1) is 'x' or 'X';
            var q = p + 2;
            while (q < _s.Length && (hex ? SqlChars.IsHexDigit(_s[q]) : _s[q] is '0' or '1'))
            {
                q++;
            }
            if (q > p + 2)
            {
                Set(SqlTokenType.Number, start, q, ref token);
                return;
            }
        }
        while (p < _s.Length && SqlChars.IsDigit(_s[p]))
        {
            p++;
        }
        if (At(p) == '.')
        {
            p++;
            while (p < _s.Length && SqlChars.IsDigit(_s[p]))
            {
                p++;
            }
        }
        if (At(p) is 'e' or 'E')
        {
            var q = p + 1;
            if (At(q) is '+' or '-')
            {
                q++;
            }
            if (SqlChars.IsDigit(At(q)))
            {
                while (q < _s.Length && SqlChars.IsDigit(_s[q]))
                {
                    q++;
                }
                p = q;
            }
            else
            {
                // "1e" without an exponent is not a number to any engine: read the whole run as a word.
                ReadWord(ref token);
                return;
            }
        }
        // Oracle's float/double suffixes (1.0f, 2d) when the number ends there.
        if (At(p) is 'f' or 'F' or 'd' or 'D' && (!Has(p + 1) || !SqlChars.IsWordChar(_s[p + 1]) || At(p + 1) is 'u' or 'U'))
        {
            p++;
        }
        Set(SqlTokenType.Number, start, p, ref token);
    }

    /// <summary>b'01', x'AF' (numbers), e'…', n'…', q'[…]', u&amp;'…' (strings).</summary>
    private bool TryReadPrefixedLiteral(char c, ref SqlToken token)
    {
        var upper = char.ToUpperInvariant(c);
        if (upper is 'B' or 'X' && At(_pos + 1) == '\'')
        {
            var q = _pos + 2;
            while (q < _s.Length && (upper == 'X' ? SqlChars.IsHexDigit(_s[q]) : _s[q] is '0' or '1'))
            {
                q++;
            }
            if (At(q) != '\'' || !Has(q))
            {
                return false;
            }
            Set(SqlTokenType.Number, _pos, q + 1, ref token);
            return true;
        }
        if (upper is 'E' or 'N' && At(_pos + 1) == '\'')
        {
            _pos++;
            var start = _pos - 1;
            ReadString(_pos, '\'', hasOpening: true, ref token);
            token.Start = start;
            token.Length = _pos - start;
            return true;
        }
        if (upper == 'U' && At(_pos + 1) == '&' && At(_pos + 2) == '\'')
        {
            var start = _pos;
            _pos += 2;
            ReadString(_pos, '\'', hasOpening: true, ref token);
            token.Start = start;
            token.Length = _pos - start;
            return true;
        }
        if (upper == 'Q' && At(_pos + 1) == '\'' && Has(_pos + 2) && !SqlChars.IsWhite(_s[_pos + 2]))
        {
            var open = _s[_pos + 2];
            var close = open switch { '[' => ']', '{' => '}', '(' => ')', '<' => '>', _ => open };
            var body = _pos + 3;
            var end = _s.Length;
            var closed = false;
            for (var i = body; i + 1 < _s.Length; i++)
            {
                if (_s[i] == close && _s[i + 1] == '\'')
                {
                    end = i + 2;
                    closed = true;
                    break;
                }
            }
            token.OpenQuote = '\'';
            token.CloseQuote = closed ? '\'' : '\0';
            Set(SqlTokenType.String, _pos, end, ref token);
            return true;
        }
        return false;
    }

    /// <summary>
    /// A bare word: a keyword, function, operator word or an identifier. "SELECT.1" and "UNION.x" split at the dot
    /// when the part before it is a keyword (MySQL reads them so).
    /// </summary>
    private void ReadWord(ref SqlToken token)
    {
        var start = _pos;
        var end = start + 1;
        while (end < _s.Length && SqlChars.IsWordChar(_s[end]))
        {
            end++;
        }
        var word = _s[start..end];
        var dot = word.IndexOf('.');
        if (dot > 0 && SqlKeywords.TryGet(word[..dot], out var prefixType, out var prefix) && prefixType != SqlTokenType.Bareword)
        {
            token.Word = prefix;
            Set(prefixType, start, start + dot, ref token);
            return;
        }
        if (SqlKeywords.TryGet(word, out var type, out var canonical))
        {
            token.Word = canonical;
            Set(type, start, end, ref token);
            return;
        }
        Set(SqlTokenType.Bareword, start, end, ref token);
    }
}
