using System.Globalization;
using System.Text;

namespace Portcullis.CrsTest;

/// <summary>
/// go-ftw runs <c>data</c> through Go's text/template with the sprig functions (<c>test/data.go</c>). CRS uses one
/// action, in 920400: <c>{{ "1" | repeat 64200 }}</c>. We evaluate exactly that family, <c>"s" | repeat N</c> and
/// <c>repeat N "s"</c>, with Go's <c>{{-</c>/<c>-}}</c> whitespace trimming; any other action is an error, where
/// go-ftw would silently send no body at all. Text outside actions (a lone <c>}}</c> too) is copied verbatim.
/// </summary>
internal static class FtwDataTemplate
{
    /// <summary>Bounds the expansion (920400's largest is 64,200 bytes).</summary>
    public const int MaxExpandedLength = 16 * 1024 * 1024;

    public static bool TryExpand(string text, out string expanded, out string? error)
    {
        expanded = text;
        error = null;
        if (!text.Contains("{{", StringComparison.Ordinal))
        {
            return true;
        }
        var output = new StringBuilder(text.Length);
        var position = 0;
        while (position < text.Length)
        {
            var open = text.IndexOf("{{", position, StringComparison.Ordinal);
            if (open < 0)
            {
                output.Append(text, position, text.Length - position);
                break;
            }
            var close = text.IndexOf("}}", open + 2, StringComparison.Ordinal);
            if (close < 0)
            {
                error = "unclosed template action '{{'";
                return false;
            }
            var action = text[(open + 2)..close];
            var trimLeft = action.StartsWith("- ", StringComparison.Ordinal);
            var trimRight = action.EndsWith(" -", StringComparison.Ordinal);
            output.Append(text, position, open - position);
            if (trimLeft)
            {
                TrimEnd(output);
                action = action[2..];
            }
            if (trimRight)
            {
                action = action[..^2];
            }
            if (!TryEvaluate(action.Trim(), out var value, out error))
            {
                return false;
            }
            if (output.Length + value.Length > MaxExpandedLength)
            {
                error = $"template expands beyond {MaxExpandedLength} characters";
                return false;
            }
            output.Append(value);
            position = close + 2;
            if (trimRight)
            {
                while (position < text.Length && IsSpace(text[position]))
                {
                    position++;
                }
            }
        }
        expanded = output.ToString();
        return true;
    }

    private static bool TryEvaluate(string action, out string value, out string? error)
    {
        value = "";
        error = null;
        string? literal;
        string? count;
        var pipe = action.IndexOf('|', StringComparison.Ordinal);
        if (pipe >= 0)
        {
            // "s" | repeat N : the piped value becomes repeat's last argument.
            literal = action[..pipe].Trim();
            var call = action[(pipe + 1)..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            count = call is ["repeat", var n] ? n : null;
        }
        else
        {
            var call = SplitCall(action);
            (count, literal) = call is ["repeat", var n, var s] ? (n, s) : (null, null);
        }
        if (count is null || literal is null)
        {
            error = $"unsupported template action '{{{{{action}}}}}' (only repeat is supported)";
            return false;
        }
        if (!int.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out var times))
        {
            error = $"repeat count '{count}' is not a non-negative whole number";
            return false;
        }
        if (!TryUnquote(literal, out var unit))
        {
            error = $"'{literal}' is not a Go string literal";
            return false;
        }
        if ((long)unit.Length * times > MaxExpandedLength)
        {
            error = $"template expands beyond {MaxExpandedLength} characters";
            return false;
        }
        value = new StringBuilder(unit.Length * times).Insert(0, unit, times).ToString();
        return true;
    }

    /// <summary>Splits <c>repeat 3 "a b"</c> into words, keeping a quoted literal whole.</summary>
    private static List<string> SplitCall(string action)
    {
        var words = new List<string>();
        var i = 0;
        while (i < action.Length)
        {
            if (action[i] == ' ')
            {
                i++;
                continue;
            }
            var start = i;
            if (action[i] is '"' or '`')
            {
                var quote = action[i++];
                while (i < action.Length && action[i] != quote)
                {
                    i += action[i] == '\\' && quote == '"' ? 2 : 1;
                }
                i = Math.Min(i + 1, action.Length);
            }
            else
            {
                while (i < action.Length && action[i] != ' ')
                {
                    i++;
                }
            }
            words.Add(action[start..i]);
        }
        return words;
    }

    /// <summary>A Go string literal: raw (<c>`...`</c>) or interpreted with the common escapes.</summary>
    private static bool TryUnquote(string literal, out string value)
    {
        value = "";
        if (literal.Length >= 2 && literal[0] == '`' && literal[^1] == '`')
        {
            value = literal[1..^1];
            return true;
        }
        if (literal.Length < 2 || literal[0] != '"' || literal[^1] != '"')
        {
            return false;
        }
        var builder = new StringBuilder();
        for (var i = 1; i < literal.Length - 1; i++)
        {
            var c = literal[i];
            if (c != '\\')
            {
                builder.Append(c);
                continue;
            }
            if (++i >= literal.Length - 1)
            {
                return false;
            }
            switch (literal[i])
            {
                case 'n': builder.Append('\n'); break;
                case 'r': builder.Append('\r'); break;
                case 't': builder.Append('\t'); break;
                case '\\': builder.Append('\\'); break;
                case '"': builder.Append('"'); break;
                default: return false;
            }
        }
        value = builder.ToString();
        return true;
    }

    private static void TrimEnd(StringBuilder builder)
    {
        while (builder.Length > 0 && IsSpace(builder[^1]))
        {
            builder.Length--;
        }
    }

    // Go's template trimming removes ASCII spaces, tabs, carriage returns and newlines.
    private static bool IsSpace(char c) => c is ' ' or '\t' or '\r' or '\n';
}
