using System.Text;

namespace Portcullis.Waf.Tests.Detection.Support;

/// <summary>
/// Test-side approximations of the ModSecurity transformations rules 942100/941100/941101 apply before
/// <c>@detectSQLi</c>/<c>@detectXSS</c>. Strings hold bytes as chars (Latin-1), like the engine's values.
/// </summary>
internal static class ModSecTransforms
{
    /// <summary>942100: t:utf8toUnicode,t:urlDecodeUni,t:removeNulls.</summary>
    public static string ForSqli(string bytes) => RemoveNulls(UrlDecodeUni(Utf8ToUnicode(bytes)));

    /// <summary>941100/941101: t:utf8toUnicode,t:urlDecodeUni,t:htmlEntityDecode,t:jsDecode,t:cssDecode,t:removeNulls.</summary>
    public static string ForXss(string bytes) =>
        RemoveNulls(CssDecode(JsDecode(HtmlEntityDecode(UrlDecodeUni(Utf8ToUnicode(bytes))))));

    /// <summary>Text as the bytes of its UTF-8 encoding, one char per byte.</summary>
    public static string Bytes(string text) => Encoding.Latin1.GetString(Encoding.UTF8.GetBytes(text));

    /// <summary>Multi-byte UTF-8 sequences become %uHHHH (ModSecurity's utf8toUnicode); invalid bytes stay.</summary>
    public static string Utf8ToUnicode(string s)
    {
        var sb = new StringBuilder(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            int c = s[i];
            var need = c switch { >= 0xF8 => 0, >= 0xF0 => 3, >= 0xE0 => 2, >= 0xC0 => 1, _ => 0 };
            if (need == 0)
            {
                sb.Append((char)c);
                continue;
            }
            var cp = c & (need == 1 ? 0x1F : need == 2 ? 0x0F : 0x07);
            var ok = true;
            for (var k = 1; k <= need; k++)
            {
                if (i + k >= s.Length || (s[i + k] & 0xC0) != 0x80)
                {
                    ok = false;
                    break;
                }
                cp = (cp << 6) | (s[i + k] & 0x3F);
            }
            if (!ok)
            {
                sb.Append((char)c);
                continue;
            }
            sb.Append("%u").Append((cp & 0xFFFF).ToString("x4"));
            i += need;
        }
        return sb.ToString();
    }

    /// <summary>%HH, %uHHHH (full-width ASCII folds to ASCII, else the low byte) and '+' as space.</summary>
    public static string UrlDecodeUni(string s)
    {
        var sb = new StringBuilder(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (c == '+')
            {
                sb.Append(' ');
            }
            else if (c == '%' && i + 5 < s.Length && s[i + 1] is 'u' or 'U' && IsHex(s, i + 2, 4))
            {
                var cp = Convert.ToInt32(s.Substring(i + 2, 4), 16);
                sb.Append(cp is >= 0xFF01 and <= 0xFF5E ? (char)(cp - 0xFEE0) : (char)(cp & 0xFF));
                i += 5;
            }
            else if (c == '%' && i + 2 < s.Length && IsHex(s, i + 1, 2))
            {
                sb.Append((char)Convert.ToInt32(s.Substring(i + 1, 2), 16));
                i += 2;
            }
            else
            {
                sb.Append(c);
            }
        }
        return sb.ToString();
    }

    /// <summary>Plain URL decoding of a form or query component (what the request parser does).</summary>
    public static string UrlDecode(string s)
    {
        var sb = new StringBuilder(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (c == '+')
            {
                sb.Append(' ');
            }
            else if (c == '%' && i + 2 < s.Length && IsHex(s, i + 1, 2))
            {
                sb.Append((char)Convert.ToInt32(s.Substring(i + 1, 2), 16));
                i += 2;
            }
            else
            {
                sb.Append(c);
            }
        }
        return sb.ToString();
    }

    public static string RemoveNulls(string s) => s.Replace("\0", string.Empty, StringComparison.Ordinal);

    public static string HtmlEntityDecode(string s)
    {
        if (!s.Contains('&', StringComparison.Ordinal))
        {
            return s;
        }
        var sb = new StringBuilder(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] == '&')
            {
                var semi = s.IndexOf(';', i + 1);
                var name = semi > i && semi - i <= 10 ? s[(i + 1)..semi] : string.Empty;
                char? decoded = name.ToLowerInvariant() switch
                {
                    "lt" => '<',
                    "gt" => '>',
                    "quot" => '"',
                    "amp" => '&',
                    "apos" => '\'',
                    "nbsp" => '\u00A0',
                    _ when name.StartsWith("#x", StringComparison.OrdinalIgnoreCase) && name.Length > 2 && IsHex(name, 2, name.Length - 2)
                        => (char)(Convert.ToInt32(name[2..], 16) & 0xFF),
                    _ when name.StartsWith('#') && name.Length > 1 && name[1..].All(char.IsAsciiDigit)
                        => (char)(int.Parse(name[1..], System.Globalization.CultureInfo.InvariantCulture) & 0xFF),
                    _ => null,
                };
                if (decoded is { } d)
                {
                    sb.Append(d);
                    i = semi;
                    continue;
                }
            }
            sb.Append(s[i]);
        }
        return sb.ToString();
    }

    public static string JsDecode(string s)
    {
        if (!s.Contains('\\', StringComparison.Ordinal))
        {
            return s;
        }
        var sb = new StringBuilder(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] != '\\' || i + 1 >= s.Length)
            {
                sb.Append(s[i]);
                continue;
            }
            var n = s[i + 1];
            if (n is 'u' && i + 5 < s.Length && IsHex(s, i + 2, 4))
            {
                var cp = Convert.ToInt32(s.Substring(i + 2, 4), 16);
                sb.Append(cp is >= 0xFF01 and <= 0xFF5E ? (char)(cp - 0xFEE0) : (char)(cp & 0xFF));
                i += 5;
            }
            else if (n is 'x' && i + 3 < s.Length && IsHex(s, i + 2, 2))
            {
                sb.Append((char)Convert.ToInt32(s.Substring(i + 2, 2), 16));
                i += 3;
            }
            else
            {
                sb.Append(n switch { 'n' => '\n', 't' => '\t', 'r' => '\r', 'b' => '\b', 'f' => '\f', 'v' => '\v', _ => n });
                i++;
            }
        }
        return sb.ToString();
    }

    public static string CssDecode(string s)
    {
        if (!s.Contains('\\', StringComparison.Ordinal))
        {
            return s;
        }
        var sb = new StringBuilder(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] != '\\' || i + 1 >= s.Length)
            {
                sb.Append(s[i]);
                continue;
            }
            var j = i + 1;
            while (j < s.Length && j - i <= 6 && char.IsAsciiHexDigit(s[j]))
            {
                j++;
            }
            if (j > i + 1)
            {
                sb.Append((char)(Convert.ToInt32(s[(i + 1)..j], 16) & 0xFF));
                if (j < s.Length && s[j] == ' ')
                {
                    j++;
                }
                i = j - 1;
            }
            else if (s[i + 1] == '\n')
            {
                i++;
            }
            else
            {
                sb.Append(s[i + 1]);
                i++;
            }
        }
        return sb.ToString();
    }

    private static bool IsHex(string s, int start, int count)
    {
        for (var k = start; k < start + count; k++)
        {
            if (k >= s.Length || !char.IsAsciiHexDigit(s[k]))
            {
                return false;
            }
        }
        return true;
    }
}
