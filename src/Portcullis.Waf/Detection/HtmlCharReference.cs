namespace Portcullis.Waf.Detection;

/// <summary>Reads one char of attribute text, decoding numeric character references (&amp;#106; &amp;#x6A;) and
/// the few named ones that matter for URL schemes, as a browser does before it looks at a URL.</summary>
internal static class HtmlCharReference
{
    public static char Read(ReadOnlySpan<char> s, ref int i)
    {
        var c = s[i];
        if (c != '&' || i + 1 >= s.Length)
        {
            i++;
            return c;
        }
        if (s[i + 1] == '#')
        {
            var j = i + 2;
            var hex = j < s.Length && s[j] is 'x' or 'X';
            if (hex)
            {
                j++;
            }
            var value = 0;
            var digits = 0;
            while (j < s.Length && digits < 8 && (hex ? char.IsAsciiHexDigit(s[j]) : char.IsAsciiDigit(s[j])))
            {
                value = (value * (hex ? 16 : 10)) + (char.IsAsciiDigit(s[j]) ? s[j] - '0' : (s[j] | 0x20) - 'a' + 10);
                digits++;
                j++;
            }
            if (digits > 0)
            {
                if (j < s.Length && s[j] == ';')
                {
                    j++;
                }
                i = j;
                return (char)(value & 0xFF);
            }
        }
        else if (StartsWithName(s[(i + 1)..], "Tab;"))
        {
            i += 5;
            return '\t';
        }
        else if (StartsWithName(s[(i + 1)..], "NewLine;"))
        {
            i += 9;
            return '\n';
        }
        else if (StartsWithName(s[(i + 1)..], "colon;"))
        {
            i += 7;
            return ':';
        }
        i++;
        return c;
    }

    private static bool StartsWithName(ReadOnlySpan<char> s, string name) => s.StartsWith(name, StringComparison.Ordinal);
}
