using System.Buffers;
using System.Text;

namespace Portcullis.Incidents;

/// <summary>
/// Finds <c>name=value</c> (query strings, form bodies, cookies) and <c>"name": "value"</c> (JSON) pairs in free
/// text, such as a rule's match on REQUEST_BODY, REQUEST_LINE or a Referer, and redacts the values whose name
/// <see cref="SecretNames"/> calls secret. One pass, no backtracking: each '=' or ':' is looked at once, with the
/// name read backwards from it.
/// </summary>
internal static class SecretPairs
{
    /// <summary>Names longer than this are read only this far back from the '='.</summary>
    public const int MaxNameLength = 256;

    /// <summary>JSON allows whitespace around the colon; a little is accepted, not an unbounded run.</summary>
    private const int MaxJsonSpace = 8;

    private static readonly SearchValues<char> Separators = SearchValues.Create("=:");

    private static readonly SearchValues<char> NameChars =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-[]%");

    /// <summary>Where a form or JSON value ends: the next pair, a quote, whitespace or markup.</summary>
    private static readonly SearchValues<char> ValueEnds = SearchValues.Create("&; \t\r\n\"'<>,");

    public static string Redact(string text)
    {
        StringBuilder? output = null;
        var copied = 0;
        var position = 0;
        while (position < text.Length)
        {
            var found = text.AsSpan(position).IndexOfAny(Separators);
            if (found < 0)
            {
                break;
            }
            var separator = position + found;
            position = separator + 1;
            if (!TryPair(text, separator, out var nameStart, out var nameEnd, out var valueStart))
            {
                continue;
            }
            var valueLength = text.AsSpan(valueStart).IndexOfAny(ValueEnds);
            var valueEnd = valueLength < 0 ? text.Length : valueStart + valueLength;
            if (text.AsSpan(valueStart, valueEnd - valueStart).StartsWith("[redacted", StringComparison.Ordinal)
                || !SecretNames.IsSecret(text[nameStart..nameEnd]))
            {
                continue;
            }
            output ??= new StringBuilder(text.Length + 32);
            output.Append(text, copied, valueStart - copied).Append(IncidentRedactor.Marker(valueEnd - valueStart));
            copied = valueEnd;
            position = Math.Max(position, valueEnd);
        }
        return output is null ? text : output.Append(text, copied, text.Length - copied).ToString();
    }

    /// <summary>The name before the separator and where the value starts, for <c>name=</c> or <c>"name":"</c>.</summary>
    private static bool TryPair(string text, int separator, out int nameStart, out int nameEnd, out int valueStart)
    {
        nameStart = nameEnd = valueStart = 0;
        if (text[separator] == '=')
        {
            nameEnd = separator;
            valueStart = separator + 1;
        }
        else
        {
            // JSON: the name is quoted before the colon, the value quoted after it (numbers and objects are not secrets' shape).
            if (separator == 0 || text[separator - 1] != '"')
            {
                return false;
            }
            nameEnd = separator - 1;
            var next = separator + 1;
            while (next < text.Length && next - separator <= MaxJsonSpace && text[next] is ' ' or '\t' or '\r' or '\n')
            {
                next++;
            }
            if (next >= text.Length || text[next] != '"')
            {
                return false;
            }
            valueStart = next + 1;
        }
        nameStart = nameEnd;
        while (nameStart > 0 && nameEnd - nameStart < MaxNameLength && NameChars.Contains(text[nameStart - 1]))
        {
            nameStart--;
        }
        return nameStart < nameEnd;
    }
}
