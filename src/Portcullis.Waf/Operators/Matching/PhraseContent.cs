using System.Text;
using Portcullis.Waf.Transformations;

namespace Portcullis.Waf.Operators.Matching;

/// <summary>
/// ModSecurity v2's <c>parse_pm_content</c>, applied to an <c>@pm</c> parameter and to each <c>@pmFromFile</c> line:
/// <list type="bullet">
/// <item>Leading whitespace is skipped; for <c>@pm</c>, one pair of double quotes around the whole text is removed.</item>
/// <item><c>\\ \" \: \;</c> stand for the char; any other backslash escape (CRS's php-errors.data writes a literal
/// <c>\n</c>) makes v2 give up and use the text unprocessed, and so do we.</item>
/// <item><c>|41 42|</c> spells bytes in hex (Snort style). v2 toggles hex mode at every <c>|</c> and silently
/// mangles text like <c>string|int|float</c> (php-errors.data); we decode a <c>|…|</c> section only when it holds
/// nothing but hex pairs and spaces, and keep any other <c>|</c> as a literal char.</item>
/// </list>
/// </summary>
internal static class PhraseContent
{
    public static string Parse(string text, bool stripQuotes)
    {
        var span = text.AsSpan();
        var start = 0;
        while (start < span.Length && CType.IsSpace(span[start]))
        {
            start++;
        }
        span = span[start..];
        if (stripQuotes && span.Length >= 2 && span[0] == '"' && span[^1] == '"')
        {
            span = span[1..^1];
        }
        if (span.IndexOfAny('\\', '|') < 0)
        {
            return span.Length == text.Length ? text : span.ToString();
        }
        return TryUnescape(span, out var unescaped) ? unescaped : text;
    }

    private static bool TryUnescape(ReadOnlySpan<char> span, out string result)
    {
        var output = new StringBuilder(span.Length);
        for (var i = 0; i < span.Length; i++)
        {
            var c = span[i];
            if (c == '\\' && i + 1 < span.Length)
            {
                var next = span[i + 1];
                if (next is not ('\\' or '"' or ':' or ';'))
                {
                    result = string.Empty;
                    return false;
                }
                output.Append(next);
                i++;
            }
            else if (c == '|' && TryHexSection(span, i, output, out var close))
            {
                i = close;
            }
            else
            {
                output.Append(c);
            }
        }
        result = output.ToString();
        return true;
    }

    /// <summary>Decodes <c>|hex pairs|</c> at <paramref name="open"/> when it is one; <paramref name="close"/> is
    /// then the index of the closing bar.</summary>
    private static bool TryHexSection(ReadOnlySpan<char> span, int open, StringBuilder output, out int close)
    {
        var end = span[(open + 1)..].IndexOf('|');
        close = open + 1 + end;
        if (end <= 0)
        {
            return false;
        }
        var section = span[(open + 1)..close];
        var digits = 0;
        foreach (var c in section)
        {
            if (CType.IsHexDigit(c))
            {
                digits++;
            }
            else if (c != ' ')
            {
                return false;
            }
        }
        if (digits == 0 || digits % 2 != 0)
        {
            return false;
        }
        var high = -1;
        foreach (var c in section)
        {
            if (c == ' ')
            {
                continue;
            }
            if (high < 0)
            {
                high = c;
            }
            else
            {
                output.Append(CType.HexPair((char)high, c));
                high = -1;
            }
        }
        return true;
    }
}
