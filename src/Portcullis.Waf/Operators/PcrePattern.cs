using System.Text;
using System.Text.RegularExpressions;

namespace Portcullis.Waf.Operators;

/// <summary>
/// Translates a PCRE pattern as ModSecurity v2 runs it (byte mode, C locale, DOLLAR_ENDONLY, dot-all) into a .NET
/// pattern that matches the same strings when every inspected byte is one char (Latin-1), per notes/waf.md §2-§3:
/// <list type="bullet">
/// <item><c>\x{HH}</c> → <c>\xHH</c> (.NET has no braced form).</item>
/// <item><c>\s \S \w \W \d \D</c> → ASCII classes (.NET's are Unicode-aware: 0x85, 0xA0 and 65 high bytes would count).</item>
/// <item><c>\b \B</c> → look-arounds on the ASCII word class, for the same reason.</item>
/// <item><c>$</c> → <c>\z</c>: PCRE_DOLLAR_ENDONLY; .NET's <c>$</c> also matches before a final <c>\n</c>.</item>
/// <item>Case-insensitive flags are applied by expanding ASCII letters to <c>[aA]</c>, so bytes ≥ 0x80 never fold
/// (PCRE's C locale does not fold é/É; .NET does even with the invariant culture).</item>
/// </list>
/// Constructs outside what CRS uses (back-references, conditionals, \Q…\E) are refused, never passed through silently.
/// </summary>
public static class PcrePattern
{
    private const string Space = @"\t\n\v\f\r ";
    private const string Word = "0-9A-Za-z_";
    private const string Digit = "0-9";

    // The complements as ranges, for use inside a class (where "[^...]" cannot nest).
    private const string NotSpace = @"\x00-\x08\x0E-\x1F\x21-\uFFFF";
    private const string NotWord = @"\x00-\x2F\x3A-\x40\x5B-\x5E\x60\x7B-\uFFFF";
    private const string NotDigit = @"\x00-\x2F\x3A-\uFFFF";

    /// <param name="pattern">The PCRE pattern.</param>
    /// <param name="asciiInput">The regex will only see ASCII input (every char below 0x80): <c>\b</c> and <c>\B</c>
    /// can then be .NET's own, which agree with PCRE's on ASCII, instead of the lookaround spelling that keeps
    /// Latin-1 letters out of "word" but is slower and rules out the non-backtracking engine.</param>
    public static string Translate(string pattern, bool asciiInput = false)
    {
        var output = new StringBuilder(pattern.Length + 16);
        var ignoreCase = new Stack<bool>();
        var caseless = false;
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            switch (c)
            {
                case '\\':
                    i = TranslateEscape(pattern, i, output, inClass: false, asciiInput);
                    break;
                case '[':
                    i = TranslateClass(pattern, i, output, caseless);
                    break;
                case '$':
                    output.Append(@"\z");
                    break;
                case '(':
                    ignoreCase.Push(caseless);
                    if (InlineFlags(pattern.AsSpan(i)) is > 0 and var flagsLength)
                    {
                        // A leading inline flag applies to the rest of the enclosing group (the whole pattern at top level).
                        // (?is) and (?si) too: 's' is dot-all, which every pattern already has (Singleline); leaving the
                        // group to .NET would fold é/É in byte mode (notes/waf.md §3).
                        ignoreCase.Pop();
                        caseless |= pattern.AsSpan(i, flagsLength).Contains('i');
                        i += flagsLength - 1;
                        break;
                    }
                    if (pattern.AsSpan(i).StartsWith("(?i:"))
                    {
                        caseless = true;
                        output.Append("(?:");
                        i += 3;
                        break;
                    }
                    output.Append(c);
                    break;
                case ')':
                    caseless = ignoreCase.Count > 0 ? ignoreCase.Pop() : caseless;
                    output.Append(c);
                    break;
                default:
                    AppendLiteral(output, c, caseless);
                    break;
            }
        }
        return output.ToString();
    }

    private static void AppendLiteral(StringBuilder output, char c, bool caseless)
    {
        if (caseless && char.IsAsciiLetter(c))
        {
            output.Append('[').Append(char.ToLowerInvariant(c)).Append(char.ToUpperInvariant(c)).Append(']');
        }
        else
        {
            output.Append(c);
        }
    }

    private static int TranslateEscape(string pattern, int i, StringBuilder output, bool inClass, bool asciiInput = false)
    {
        if (i + 1 >= pattern.Length)
        {
            throw new ArgumentException("pattern ends with a lone backslash");
        }
        var e = pattern[i + 1];
        switch (e)
        {
            case 'x':
                // \xHH and \x{HH} become \xHH: one spelling .NET accepts, and case expansion never touches the digits.
                var (value, length) = ClassChar(pattern, i);
                output.Append(Hex(value!.Value));
                return i + length - 1;
            case 'c' when i + 2 < pattern.Length:
                output.Append(pattern, i, 3);
                return i + 2;
            case 'p' or 'P': throw Unsupported(@"Unicode properties (\p)");
            case 's': output.Append(inClass ? Space : "[" + Space + "]"); return i + 1;
            case 'S': output.Append(inClass ? NotSpace : "[^" + Space + "]"); return i + 1;
            case 'w': output.Append(inClass ? Word : "[" + Word + "]"); return i + 1;
            case 'W': output.Append(inClass ? NotWord : "[^" + Word + "]"); return i + 1;
            case 'd': output.Append(inClass ? Digit : "[" + Digit + "]"); return i + 1;
            case 'D': output.Append(inClass ? NotDigit : "[^" + Digit + "]"); return i + 1;
            case 'b' or 'B' when !inClass && asciiInput: output.Append('\\').Append(e); return i + 1;
            case 'b' when !inClass: output.Append("(?:(?<=[" + Word + "])(?![" + Word + "])|(?<![" + Word + "])(?=[" + Word + "]))"); return i + 1;
            case 'B' when !inClass: output.Append("(?:(?<=[" + Word + "])(?=[" + Word + "])|(?<![" + Word + "])(?![" + Word + "]))"); return i + 1;
            case 'Q' or 'E' or 'g' or 'k': throw Unsupported($@"\{e}");
            case >= '1' and <= '9' when !inClass: throw Unsupported("back-references");
            default:
                output.Append('\\').Append(e);
                return i + 1;
        }
    }

    private static int TranslateClass(string pattern, int start, StringBuilder output, bool caseless)
    {
        output.Append('[');
        var i = start + 1;
        if (i < pattern.Length && pattern[i] == '^')
        {
            output.Append('^');
            i++;
        }
        // Under (?i) the class also gets the other case of every ASCII letter it covers, appended at the end:
        // expanding in place would break ranges like "A-\[".
        var letters = caseless ? new SortedSet<char>() : null;
        var first = true;
        char? previous = null;
        for (; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == ']' && !first)
            {
                if (letters is { Count: > 0 })
                {
                    foreach (var letter in letters)
                    {
                        output.Append(SwapCase(letter));
                    }
                }
                output.Append(']');
                return i;
            }
            first = false;
            if (c == '[' && i + 1 < pattern.Length && pattern[i + 1] == ':')
            {
                throw Unsupported("POSIX classes like [:alpha:]");
            }
            if (c == '-' && previous is { } low && i + 1 < pattern.Length && pattern[i + 1] != ']')
            {
                // A range: its end may be written as an escape.
                var (high, length) = ClassChar(pattern, i + 1);
                if (high is null)
                {
                    throw Unsupported("a range ending in a class escape");
                }
                output.Append('-').Append(Hex(high.Value));
                AddLetters(letters, low, high.Value);
                previous = null;
                i += length;
                continue;
            }
            if (c == '\\')
            {
                var (value, length) = ClassChar(pattern, i);
                if (value is null)
                {
                    i = TranslateEscape(pattern, i, output, inClass: true);
                    previous = null;
                    continue;
                }
                output.Append(Hex(value.Value));
                AddLetters(letters, value.Value, value.Value);
                previous = value;
                i += length - 1;
                continue;
            }
            output.Append(c == ']' ? "\\]" : c.ToString());
            AddLetters(letters, c, c);
            previous = c;
        }
        throw new ArgumentException("unterminated character class");
    }

    /// <summary>The single character written at <paramref name="i"/> inside a class (a literal or an escape) and its length; null for class escapes like \s.</summary>
    private static (char? Value, int Length) ClassChar(string pattern, int i)
    {
        if (pattern[i] != '\\')
        {
            return (pattern[i], 1);
        }
        if (i + 1 >= pattern.Length)
        {
            throw new ArgumentException("pattern ends with a lone backslash");
        }
        var e = pattern[i + 1];
        switch (e)
        {
            case 'x' when i + 2 < pattern.Length && pattern[i + 2] == '{':
                var close = pattern.IndexOf('}', i + 3);
                if (close < 0)
                {
                    throw new ArgumentException(@"unterminated \x{...}");
                }
                var braced = Convert.ToInt32(pattern[(i + 3)..close], 16);
                return braced > 0xFF
                    ? throw new ArgumentException($@"\x{{{pattern[(i + 3)..close]}}} is not a byte; byte-mode patterns match bytes")
                    : ((char)braced, close - i + 1);
            case 'x':
                var digits = 0;
                while (digits < 2 && i + 2 + digits < pattern.Length && char.IsAsciiHexDigit(pattern[i + 2 + digits]))
                {
                    digits++;
                }
                // PCRE reads "\x" with no digits as NUL.
                return (digits == 0 ? '\0' : (char)Convert.ToInt32(pattern.Substring(i + 2, digits), 16), 2 + digits);
            case 't': return ('\t', 2);
            case 'n': return ('\n', 2);
            case 'r': return ('\r', 2);
            case 'f': return ('\f', 2);
            case 'v': return ('\v', 2);
            case 's' or 'S' or 'w' or 'W' or 'd' or 'D' or 'p' or 'P': return (null, 2);
            default: return char.IsAsciiLetterOrDigit(e) ? throw Unsupported($@"\{e} in a class") : (e, 2);
        }
    }

    /// <summary>Any single char as \\xHH (or \\uHHHH): valid everywhere in a .NET class, whatever PCRE escape spelled it.</summary>
    private static string Hex(char c) => c <= 0xFF ? $"\\x{(int)c:X2}" : $"\\u{(int)c:X4}";

    private static void AddLetters(SortedSet<char>? letters, char low, char high)
    {
        if (letters is null)
        {
            return;
        }
        for (var c = low; c <= high && c <= 'z'; c++)
        {
            if (char.IsAsciiLetter(c))
            {
                letters.Add(c);
            }
        }
    }

    /// <summary>Length of a leading <c>(?i)</c>, <c>(?s)</c>, <c>(?is)</c> or <c>(?si)</c>; 0 for anything else.</summary>
    private static int InlineFlags(ReadOnlySpan<char> text) =>
        text.StartsWith("(?i)") || text.StartsWith("(?s)") ? 4 : text.StartsWith("(?is)") || text.StartsWith("(?si)") ? 5 : 0;

    private static char SwapCase(char c) => char.IsAsciiLetterUpper(c) ? char.ToLowerInvariant(c) : char.ToUpperInvariant(c);

    private static NotSupportedException Unsupported(string what) => new($"{what} is not supported in SecLang patterns here");

    /// <summary>Compiles a translated pattern with the options every rule regex gets (dot-all, culture-invariant, a match timeout).</summary>
    public static Regex Compile(string pcre, TimeSpan timeout, RegexOptions extra = RegexOptions.None, bool asciiInput = false) =>
        FromTranslation(Translate(pcre, asciiInput), timeout, extra);

    /// <summary>A regex from <see cref="Translate"/>'s output, with the options every translation assumes.</summary>
    public static Regex FromTranslation(string translated, TimeSpan timeout, RegexOptions extra = RegexOptions.None) =>
        new(translated, RegexOptions.Singleline | RegexOptions.CultureInvariant | extra, timeout);
}
