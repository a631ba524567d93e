using System.Text;

namespace Portcullis.Waf.SecLang;

/// <summary>
/// Splits SecLang text into <see cref="Directive"/>s the way Apache's configuration reader does for ModSecurity v2
/// (the reference): a line ending in a backslash continues on the next line (the backslash and line break removed,
/// the next line's indentation kept); '#' starts a comment line; arguments are separated by white space and may be
/// quoted with " or ', where a backslash escapes only the quote character (every other backslash stays, since regular
/// expressions need them). Malformed input (an unterminated quote, a directive of only white space) is an error
/// with file and line; nothing is skipped silently.
/// </summary>
public static class DirectiveReader
{
    /// <summary>Longest logical line accepted (CRS's longest is ~6 KB): a bound against hostile rule files.</summary>
    private const int MaxLogicalLineLength = 1024 * 1024;

    public static IReadOnlyList<Directive> ReadFile(string path) => Read(File.ReadAllText(path, System.Text.Encoding.Latin1), path);

    public static IReadOnlyList<Directive> Read(string text, string file)
    {
        var directives = new List<Directive>();
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var logical = new StringBuilder();
        var startLine = 0;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (logical.Length == 0)
            {
                startLine = i + 1;
                var trimmed = line.TrimStart();
                if (trimmed.Length == 0 || trimmed[0] == '#')
                {
                    continue;
                }
            }
            if (line.EndsWith('\\'))
            {
                logical.Append(line, 0, line.Length - 1);
                if (logical.Length > MaxLogicalLineLength)
                {
                    throw new SecLangSyntaxException(file, startLine, "directive longer than 1 MB", Preview(logical.ToString()));
                }
                continue;
            }
            logical.Append(line);
            Add(directives, logical.ToString(), file, startLine);
            logical.Clear();
        }
        if (logical.Length > 0)
        {
            // The file ended inside a continuation: take what there is, as Apache does.
            Add(directives, logical.ToString(), file, startLine);
        }
        return directives;
    }

    private static void Add(List<Directive> directives, string text, string file, int line)
    {
        var words = SplitWords(text, file, line);
        if (words.Count == 0)
        {
            return;
        }
        directives.Add(new Directive(words[0], words.Skip(1).ToArray(), file, line));
    }

    /// <summary>Apache's ap_getword_conf: white-space separated words, " or ' quoting, backslash escapes only the quote.</summary>
    internal static List<string> SplitWords(string text, string file, int line)
    {
        var words = new List<string>();
        var i = 0;
        while (true)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }
            if (i >= text.Length)
            {
                return words;
            }
            var quote = text[i] is '"' or '\'' ? text[i] : '\0';
            var word = new StringBuilder();
            if (quote != '\0')
            {
                i++;
                var closed = false;
                while (i < text.Length)
                {
                    var c = text[i];
                    if (c == '\\' && i + 1 < text.Length && text[i + 1] == quote)
                    {
                        word.Append(quote);
                        i += 2;
                        continue;
                    }
                    if (c == quote)
                    {
                        closed = true;
                        i++;
                        break;
                    }
                    word.Append(c);
                    i++;
                }
                if (!closed)
                {
                    throw new SecLangSyntaxException(file, line, $"unterminated {quote} quote", Preview(text));
                }
            }
            else
            {
                while (i < text.Length && !char.IsWhiteSpace(text[i]))
                {
                    word.Append(text[i]);
                    i++;
                }
            }
            words.Add(word.ToString());
        }
    }

    private static string Preview(string text) => text.Length <= 120 ? text.Trim() : text[..120].Trim() + "…";
}
