namespace Portcullis.Waf.Detection;

/// <summary>
/// A small HTML5 tokenizer after the WHATWG tokenization states (data, tag open, tag name, attribute name and value
/// states, comments, markup declarations), reduced to what decides whether markup can run script: tag names,
/// attribute names and values, comments and doctypes. Like a browser it never fails and reads each byte once.
/// </summary>
internal ref struct HtmlTokenizer
{
    private enum State
    {
        Data,
        TagName,
        EndTagName,
        BeforeAttributeName,
        AttributeName,
        AfterAttributeName,
        BeforeAttributeValue,
        QuotedValue,
        UnquotedValue,
        AfterQuotedValue,
        Done,
    }

    private readonly ReadOnlySpan<char> _s;
    private int _pos;
    private State _state;
    private char _quote;

    public HtmlTokenizer(ReadOnlySpan<char> input, HtmlStartState start)
    {
        _s = input;
        (_state, _quote) = start switch
        {
            HtmlStartState.AfterUnquotedValue => (State.BeforeAttributeName, '\0'),
            HtmlStartState.SingleQuotedValue => (State.QuotedValue, '\''),
            HtmlStartState.DoubleQuotedValue => (State.QuotedValue, '"'),
            HtmlStartState.BackQuotedValue => (State.QuotedValue, '`'),
            _ => (State.Data, '\0'),
        };
    }

    /// <summary>HTML's whitespace (and \v, which old IE accepted). NUL is not: it stays inside names, where
    /// <see cref="XssVocabulary"/> ignores it (<c>&lt;scr\0ipt&gt;</c>).</summary>
    private static bool IsWhite(char c) => c is ' ' or '\t' or '\n' or '\v' or '\f' or '\r';

    public bool Next(out HtmlToken token)
    {
        while (true)
        {
            switch (_state)
            {
                case State.Data:
                    if (ReadData(out token))
                    {
                        return true;
                    }
                    break;
                case State.TagName:
                case State.EndTagName:
                    token = ReadTagName();
                    return true;
                case State.BeforeAttributeName:
                    if (ReadBeforeAttributeName(out token))
                    {
                        return true;
                    }
                    break;
                case State.AttributeName:
                    token = ReadAttributeName();
                    return true;
                case State.AfterAttributeName:
                    if (ReadAfterAttributeName(out token))
                    {
                        return true;
                    }
                    break;
                case State.BeforeAttributeValue:
                    if (ReadBeforeAttributeValue(out token))
                    {
                        return true;
                    }
                    break;
                case State.QuotedValue:
                    token = ReadQuotedValue();
                    return true;
                case State.UnquotedValue:
                    token = ReadUnquotedValue();
                    return true;
                case State.AfterQuotedValue:
                    if (ReadAfterQuotedValue(out token))
                    {
                        return true;
                    }
                    break;
                default:
                    token = default;
                    return false;
            }
        }
    }

    private readonly char At(int i) => i < _s.Length ? _s[i] : '\0';

    private bool Finish(out HtmlToken token)
    {
        _state = State.Done;
        token = default;
        return false;
    }

    private bool ReadData(out HtmlToken token)
    {
        while (true)
        {
            var rel = _s[_pos..].IndexOf('<');
            if (rel < 0)
            {
                _pos = _s.Length;
                return Finish(out token);
            }
            _pos += rel + 1;
            var c = At(_pos);
            if (_pos >= _s.Length)
            {
                return Finish(out token);
            }
            if (char.IsAsciiLetter(c))
            {
                _state = State.TagName;
                token = default;
                return false;
            }
            if (c == '/')
            {
                if (char.IsAsciiLetter(At(_pos + 1)))
                {
                    _pos++;
                    _state = State.EndTagName;
                    token = default;
                    return false;
                }
                if (At(_pos + 1) == '>')
                {
                    _pos += 2;
                    continue;
                }
                token = ReadBogusComment(_pos + 1);
                return true;
            }
            if (c == '!')
            {
                token = ReadMarkupDeclaration();
                return true;
            }
            if (c is '?' or '%')
            {
                // <?xml …?>, <?import …> and ASP's <% … %> are comments to a browser, but worth reading.
                token = ReadBogusComment(_pos + 1);
                return true;
            }
            // "a < b" is text.
        }
    }

    private HtmlToken ReadMarkupDeclaration()
    {
        var rest = _s[(_pos + 1)..];
        if (rest.StartsWith("--"))
        {
            var bodyStart = _pos + 3;
            var rel = _s[bodyStart..].IndexOf("-->");
            var bodyEnd = rel < 0 ? _s.Length : bodyStart + rel;
            _pos = rel < 0 ? _s.Length : bodyEnd + 3;
            return new HtmlToken(HtmlTokenType.Comment, bodyStart, bodyEnd - bodyStart);
        }
        if (rest.StartsWith("DOCTYPE", StringComparison.OrdinalIgnoreCase))
        {
            var start = _pos + 1;
            SkipPast('>');
            return new HtmlToken(HtmlTokenType.Doctype, start, _pos - start);
        }
        if (rest.StartsWith("[CDATA["))
        {
            var start = _pos + 8;
            var rel = _s[start..].IndexOf("]]>");
            _pos = rel < 0 ? _s.Length : start + rel + 3;
            return new HtmlToken(HtmlTokenType.Comment, start, (rel < 0 ? _s.Length : start + rel) - start);
        }
        return ReadBogusComment(_pos + 1);
    }

    private HtmlToken ReadBogusComment(int start)
    {
        var rel = _s[start..].IndexOf('>');
        var end = rel < 0 ? _s.Length : start + rel;
        _pos = rel < 0 ? _s.Length : end + 1;
        return new HtmlToken(HtmlTokenType.Comment, start, end - start);
    }

    private void SkipPast(char c)
    {
        var rel = _s[_pos..].IndexOf(c);
        _pos = rel < 0 ? _s.Length : _pos + rel + 1;
    }

    private HtmlToken ReadTagName()
    {
        var type = _state == State.EndTagName ? HtmlTokenType.TagEnd : HtmlTokenType.TagOpen;
        var start = _pos;
        while (_pos < _s.Length && !IsWhite(_s[_pos]) && _s[_pos] is not '/' and not '>')
        {
            _pos++;
        }
        _state = State.BeforeAttributeName;
        return new HtmlToken(type, start, _pos - start);
    }

    private bool ReadBeforeAttributeName(out HtmlToken token)
    {
        while (_pos < _s.Length && (IsWhite(_s[_pos]) || _s[_pos] == '/'))
        {
            _pos++;
        }
        if (_pos >= _s.Length)
        {
            return Finish(out token);
        }
        if (_s[_pos] == '>')
        {
            token = CloseTag();
            return true;
        }
        _state = State.AttributeName;
        token = default;
        return false;
    }

    private HtmlToken CloseTag()
    {
        _state = State.Data;
        _pos++;
        return new HtmlToken(HtmlTokenType.TagClose, _pos - 1, 1);
    }

    private HtmlToken ReadAttributeName()
    {
        var start = _pos;
        // The first char may be anything, even '=' (WHATWG: "unexpected equals sign before attribute name").
        _pos++;
        while (_pos < _s.Length && !IsWhite(_s[_pos]) && _s[_pos] is not '/' and not '>' and not '=')
        {
            _pos++;
        }
        _state = State.AfterAttributeName;
        return new HtmlToken(HtmlTokenType.AttributeName, start, _pos - start);
    }

    private bool ReadAfterAttributeName(out HtmlToken token)
    {
        while (_pos < _s.Length && IsWhite(_s[_pos]))
        {
            _pos++;
        }
        if (_pos >= _s.Length)
        {
            return Finish(out token);
        }
        switch (_s[_pos])
        {
            case '=':
                _pos++;
                _state = State.BeforeAttributeValue;
                break;
            case '>':
                token = CloseTag();
                return true;
            default:
                _state = State.BeforeAttributeName;
                break;
        }
        token = default;
        return false;
    }

    private bool ReadBeforeAttributeValue(out HtmlToken token)
    {
        while (_pos < _s.Length && IsWhite(_s[_pos]))
        {
            _pos++;
        }
        if (_pos >= _s.Length)
        {
            return Finish(out token);
        }
        var c = _s[_pos];
        if (c is '"' or '\'' or '`')
        {
            // Back-quoted values: old Internet Explorer accepted ` as an attribute quote.
            _quote = c;
            _pos++;
            _state = State.QuotedValue;
        }
        else if (c == '>')
        {
            token = CloseTag();
            return true;
        }
        else
        {
            _state = State.UnquotedValue;
        }
        token = default;
        return false;
    }

    private HtmlToken ReadQuotedValue()
    {
        var start = _pos;
        var rel = _s[start..].IndexOf(_quote);
        var end = rel < 0 ? _s.Length : start + rel;
        _pos = rel < 0 ? _s.Length : end + 1;
        _state = rel < 0 ? State.Done : State.AfterQuotedValue;
        return new HtmlToken(HtmlTokenType.AttributeValue, start, end - start);
    }

    private HtmlToken ReadUnquotedValue()
    {
        var start = _pos;
        while (_pos < _s.Length && !IsWhite(_s[_pos]) && _s[_pos] != '>')
        {
            _pos++;
        }
        _state = State.BeforeAttributeName;
        return new HtmlToken(HtmlTokenType.AttributeValue, start, _pos - start);
    }

    private bool ReadAfterQuotedValue(out HtmlToken token)
    {
        if (_pos >= _s.Length)
        {
            return Finish(out token);
        }
        if (_s[_pos] == '>')
        {
            token = CloseTag();
            return true;
        }
        // Whitespace, '/', or (a parse error browsers forgive) a name glued to the quote: "x"onload=…
        _state = State.BeforeAttributeName;
        token = default;
        return false;
    }
}
