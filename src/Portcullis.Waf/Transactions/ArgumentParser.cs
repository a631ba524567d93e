using Portcullis.Waf.Variables;

namespace Portcullis.Waf.Transactions;

/// <summary>
/// Query strings and urlencoded bodies into arguments, as ModSecurity v2's parse_arguments: split on '&amp;', name
/// and value at the first '=', both url-decoded leniently ('+' is a space; a bad escape stays as written).
/// </summary>
internal static class ArgumentParser
{
    public static void ParseInto(string text, KeyedValues into, int limit)
    {
        var start = 0;
        while (start <= text.Length && into.Count < limit)
        {
            var end = text.IndexOf('&', start);
            if (end < 0)
            {
                end = text.Length;
            }
            if (end > start)
            {
                var part = text.AsSpan(start, end - start);
                var equals = part.IndexOf('=');
                if (equals < 0)
                {
                    into.Add(Decode(part), "");
                }
                else
                {
                    into.Add(Decode(part[..equals]), Decode(part[(equals + 1)..]));
                }
            }
            start = end + 1;
        }
    }

    public static string Decode(ReadOnlySpan<char> text)
    {
        if (text.IndexOfAny('%', '+') < 0)
        {
            return text.ToString();
        }
        var result = new char[text.Length];
        var length = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '+')
            {
                result[length++] = ' ';
            }
            else if (c == '%' && i + 2 < text.Length && char.IsAsciiHexDigit(text[i + 1]) && char.IsAsciiHexDigit(text[i + 2]))
            {
                result[length++] = (char)((HexValue(text[i + 1]) << 4) | HexValue(text[i + 2]));
                i += 2;
            }
            else
            {
                result[length++] = c;
            }
        }
        return new string(result, 0, length);
    }

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
