using System.Globalization;

namespace Portcullis.Waf.Operators.Prefilter;

/// <summary>
/// Parses the PCRE dialect CRS writes (the one <see cref="PcrePattern"/> translates) into <see cref="PatternNode"/>s.
/// Anything it does not understand exactly is refused (null): a misread pattern would yield literals the real regex
/// does not need, and the prefilter would then skip a regex that matches — a missed attack. Refused on purpose:
/// back-references and octal escapes, <c>\Q…\E</c>, POSIX classes, .NET class subtraction (<c>[a-[b]]</c>), the
/// <c>x</c> flag (it changes what whitespace means), possessive quantifiers, a <c>{</c> that is not a quantifier
/// (PCRE reads it as a literal, .NET sometimes as an error), and bytes above 0xFF.
/// </summary>
internal sealed class PatternParser
{
    // Deep enough for every CRS pattern (the deepest nests about a dozen groups); bounds the recursion.
    private const int MaxDepth = 100;

    private readonly string _pattern;
    private int _position;
    private int _depth;

    private PatternParser(string pattern) => _pattern = pattern;

    public static PatternNode? TryParse(string pattern)
    {
        var parser = new PatternParser(pattern);
        try
        {
            var node = parser.ParseAlternation();
            // A ')' without its '(' stops the top-level alternation early.
            return parser._position == pattern.Length ? node : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private bool AtEnd => _position >= _pattern.Length;

    private char Peek => _pattern[_position];

    private PatternNode ParseAlternation()
    {
        if (++_depth > MaxDepth)
        {
            throw Refuse("nesting too deep");
        }
        var branches = new List<PatternNode> { ParseSequence() };
        while (!AtEnd && Peek == '|')
        {
            _position++;
            branches.Add(ParseSequence());
        }
        _depth--;
        return branches.Count == 1 ? branches[0] : new AlternationNode(branches);
    }

    private PatternNode ParseSequence()
    {
        var items = new List<PatternNode>();
        while (!AtEnd && Peek is not ('|' or ')'))
        {
            var atom = ParseAtom();
            items.Add(ParseQuantifiers(atom));
        }
        return items.Count == 1 ? items[0] : new SequenceNode(items);
    }

    private PatternNode ParseAtom()
    {
        var c = _pattern[_position++];
        switch (c)
        {
            case '(':
                return ParseGroup();
            case '[':
                return new ByteNode(ParseClass());
            case '\\':
                return ParseEscape();
            case '.':
                // Dot-all: ModSecurity compiles with PCRE_DOTALL, the translation with RegexOptions.Singleline.
                return new ByteNode(ByteClass.All());
            case '^' or '$':
                return EmptyNode.Instance;
            case '*' or '+' or '?' or '{':
                throw Refuse($"'{c}' with nothing to repeat or not a quantifier");
            default:
                return new ByteNode(ByteClass.Single(Byte(c)));
        }
    }

    private PatternNode ParseGroup()
    {
        var lookaround = false;
        if (!AtEnd && Peek == '?')
        {
            _position++;
            if (AtEnd)
            {
                throw Refuse("unterminated group");
            }
            if (Peek is '=' or '!')
            {
                _position++;
                lookaround = true;
            }
            else if (Peek == '<' && _position + 1 < _pattern.Length && _pattern[_position + 1] is '=' or '!')
            {
                _position += 2;
                lookaround = true;
            }
            else if (ParseFlags())
            {
                // "(?i)": a flag change only; it matches the empty string.
                return EmptyNode.Instance;
            }
        }
        var inner = ParseAlternation();
        if (AtEnd || Peek != ')')
        {
            throw Refuse("unterminated group");
        }
        _position++;
        // A look-around constrains the surroundings but consumes nothing: as a match it is the empty string.
        return lookaround ? EmptyNode.Instance : inner;
    }

    /// <summary>After "(?": reads "flags)" (returns true) or "flags:" (returns false, the group follows). Only
    /// i, s, m and U (and their negation) are accepted: none of them changes how the pattern is parsed.</summary>
    private bool ParseFlags()
    {
        while (!AtEnd && Peek is 'i' or 's' or 'm' or 'U' or '-')
        {
            _position++;
        }
        if (AtEnd || Peek is not (':' or ')'))
        {
            throw Refuse("unsupported group syntax");
        }
        return _pattern[_position++] == ')';
    }

    private PatternNode ParseQuantifiers(PatternNode atom)
    {
        if (AtEnd || !TryReadQuantifier(out var min, out var max))
        {
            return atom;
        }
        if (atom is EmptyNode)
        {
            throw Refuse("quantified assertion");
        }
        if (!AtEnd && Peek == '?')
        {
            // Lazy: changes which match is reported, not which strings can match.
            _position++;
        }
        if (!AtEnd && Peek is '+' or '*' or '?' or '{')
        {
            throw Refuse("possessive or stacked quantifier");
        }
        return new RepeatNode(atom, min, max);
    }

    private bool TryReadQuantifier(out int min, out int? max)
    {
        (min, max) = (0, null);
        switch (Peek)
        {
            case '*':
                _position++;
                return true;
            case '+':
                _position++;
                min = 1;
                return true;
            case '?':
                _position++;
                max = 1;
                return true;
            case '{':
                var close = _pattern.IndexOf('}', _position);
                if (close < 0)
                {
                    throw Refuse("'{' that is not a quantifier");
                }
                var body = _pattern[(_position + 1)..close];
                var comma = body.IndexOf(',', StringComparison.Ordinal);
                var minText = comma < 0 ? body : body[..comma];
                var maxText = comma < 0 ? body : body[(comma + 1)..];
                if (!IsCount(minText) || (maxText.Length > 0 && !IsCount(maxText)))
                {
                    throw Refuse("'{' that is not a quantifier");
                }
                min = int.Parse(minText, CultureInfo.InvariantCulture);
                max = maxText.Length == 0 ? null : int.Parse(maxText, CultureInfo.InvariantCulture);
                if (max < min)
                {
                    throw Refuse("quantifier range out of order");
                }
                _position = close + 1;
                return true;
            default:
                return false;
        }
    }

    private static bool IsCount(string text) => text.Length is > 0 and <= 5 && text.All(char.IsAsciiDigit);

    private PatternNode ParseEscape()
    {
        if (AtEnd)
        {
            throw Refuse("lone backslash");
        }
        var e = Peek;
        switch (e)
        {
            case 'b' or 'B' or 'A' or 'z' or 'Z':
                _position++;
                return EmptyNode.Instance;
            case 'd' or 'D' or 's' or 'S' or 'w' or 'W':
                _position++;
                return new ByteNode(Shorthand(e));
            default:
                return new ByteNode(ByteClass.Single(ReadEscapedChar()));
        }
    }

    /// <summary>After a backslash: one byte written as an escape (\xHH, \x{HH}, \t, \n, \r, \f, \v, or a quoted
    /// punctuation character).</summary>
    private char ReadEscapedChar()
    {
        var e = _pattern[_position++];
        switch (e)
        {
            case 'x':
                return ReadHex();
            case 't': return '\t';
            case 'n': return '\n';
            case 'r': return '\r';
            case 'f': return '\f';
            case 'v': return '\v';
            default:
                if (char.IsAsciiLetterOrDigit(e))
                {
                    throw Refuse($@"escape \{e}");
                }
                return Byte(e);
        }
    }

    private char ReadHex()
    {
        if (!AtEnd && Peek == '{')
        {
            var close = _pattern.IndexOf('}', _position);
            var digits = close < 0 ? "" : _pattern[(_position + 1)..close];
            if (digits.Length is 0 or > 2 || !digits.All(char.IsAsciiHexDigit))
            {
                throw Refuse(@"\x{...} that is not a byte");
            }
            _position = close + 1;
            return (char)int.Parse(digits, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        }
        var start = _position;
        while (_position < _pattern.Length && _position - start < 2 && char.IsAsciiHexDigit(_pattern[_position]))
        {
            _position++;
        }
        // PCRE reads "\x" with no digits as NUL.
        return start == _position ? '\0' : (char)int.Parse(_pattern.AsSpan(start, _position - start), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
    }

    private ByteClass ParseClass()
    {
        var set = new ByteClass();
        var negated = !AtEnd && Peek == '^';
        if (negated)
        {
            _position++;
        }
        var first = true;
        while (true)
        {
            if (AtEnd)
            {
                throw Refuse("unterminated class");
            }
            var c = _pattern[_position];
            if (c == ']' && !first)
            {
                _position++;
                break;
            }
            first = false;
            if (c == '[' && _position + 1 < _pattern.Length && _pattern[_position + 1] is ':' or '.' or '=')
            {
                throw Refuse("POSIX class");
            }
            var low = ReadClassItem(set);
            if (low is null && !AtEnd && Peek == '-' && _position + 1 < _pattern.Length && _pattern[_position + 1] != ']')
            {
                // "[\w-.]": PCRE reads the '-' literally, the translated .NET class as a range. Too ambiguous to trust.
                throw Refuse("a range starting with a class escape");
            }
            if (low is null || AtEnd || Peek != '-' || _position + 1 >= _pattern.Length || _pattern[_position + 1] == ']')
            {
                if (low is { } single)
                {
                    set.Add(single);
                }
                continue;
            }
            // A range "a-z". In .NET "-[" starts a class subtraction, which PCRE does not have.
            _position++;
            if (Peek == '[')
            {
                throw Refuse("class subtraction");
            }
            var high = ReadClassItem(set) ?? throw Refuse("range ending in a class escape");
            if (high < low)
            {
                throw Refuse("range out of order");
            }
            set.AddRange(low.Value, high);
        }
        if (negated)
        {
            set.Negate();
        }
        return set;
    }

    /// <summary>Reads one class member: returns the byte, or adds a shorthand class (\d, \s, \w and negations) to
    /// <paramref name="set"/> and returns null.</summary>
    private char? ReadClassItem(ByteClass set)
    {
        var c = _pattern[_position++];
        if (c != '\\')
        {
            return Byte(c);
        }
        if (AtEnd)
        {
            throw Refuse("lone backslash");
        }
        if (Peek is 'd' or 'D' or 's' or 'S' or 'w' or 'W')
        {
            set.AddAll(Shorthand(_pattern[_position++]));
            return null;
        }
        // \b inside a class is a backspace in PCRE, but the translation refuses it: so do we (as any other letter).
        return ReadEscapedChar();
    }

    /// <summary>The ASCII meaning of \d \s \w (and complements), as PCRE has them in byte mode with the C locale.</summary>
    private static ByteClass Shorthand(char e)
    {
        var set = new ByteClass();
        switch (char.ToLowerInvariant(e))
        {
            case 'd':
                set.AddRange('0', '9');
                break;
            case 's':
                set.AddRange('\t', '\r');
                set.Add(' ');
                break;
            default:
                set.AddRange('0', '9');
                set.AddRange('A', 'Z');
                set.AddRange('a', 'z');
                set.Add('_');
                break;
        }
        if (char.IsAsciiLetterUpper(e))
        {
            set.Negate();
        }
        return set;
    }

    private static char Byte(char c) => c <= 0xFF ? c : throw Refuse("a character above 0xFF");

    private static FormatException Refuse(string what) => new($"prefilter analysis does not support {what}");
}
