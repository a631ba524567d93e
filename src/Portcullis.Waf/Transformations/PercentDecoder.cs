namespace Portcullis.Waf.Transformations;

/// <summary>The non-strict percent decoding shared by <see cref="UrlDecode"/> and <see cref="UrlDecodeUni"/>.</summary>
internal static class PercentDecoder
{
    public static string Decode(string input, bool decodeUnicode)
    {
        var span = input.AsSpan();
        var first = span.IndexOfAny('%', '+');
        if (first < 0)
        {
            return input;
        }

        var output = new Latin1Builder(stackalloc char[256]);
        try
        {
            output.EnsureCapacity(span.Length);
            output.Append(span[..first]);
            var changed = false;
            var i = first;
            while (i < span.Length)
            {
                var c = span[i];
                if (c == '+')
                {
                    output.Append(' ');
                    changed = true;
                    i++;
                }
                else if (c != '%')
                {
                    // Copy the run up to the next special char in one go.
                    var run = span[i..].IndexOfAny('%', '+');
                    var end = run < 0 ? span.Length : i + run;
                    output.Append(span[i..end]);
                    i = end;
                }
                else if (decodeUnicode && i + 1 < span.Length && span[i + 1] is 'u' or 'U')
                {
                    if (i + 5 < span.Length && CType.IsHexDigit(span[i + 2]) && CType.IsHexDigit(span[i + 3])
                        && CType.IsHexDigit(span[i + 4]) && CType.IsHexDigit(span[i + 5]))
                    {
                        output.Append(UnicodeLowByte(span[i + 2], span[i + 3], span[i + 4], span[i + 5]));
                        changed = true;
                        i += 6;
                    }
                    else
                    {
                        // Invalid or truncated %u: ModSecurity copies "%u" and carries on after it.
                        output.Append(span.Slice(i, 2));
                        i += 2;
                    }
                }
                else if (i + 2 < span.Length && CType.IsHexDigit(span[i + 1]) && CType.IsHexDigit(span[i + 2]))
                {
                    output.Append(CType.HexPair(span[i + 1], span[i + 2]));
                    changed = true;
                    i += 3;
                }
                else
                {
                    output.Append('%');
                    i++;
                }
            }
            return changed ? output.ToString() : input;
        }
        finally
        {
            output.Dispose();
        }
    }

    /// <summary>
    /// ModSecurity v2's reduction of a 16-bit code unit to one byte: the low byte, with full-width ASCII
    /// (U+FF01–U+FF5E) mapped to ASCII. Shared with jsDecode's <c>\uHHHH</c>.
    /// </summary>
    public static char UnicodeLowByte(char h1, char h2, char h3, char h4)
    {
        var low = CType.HexPair(h3, h4);
        if (low > 0 && low < 0x5F && CType.IsF(h1) && CType.IsF(h2))
        {
            low += (char)0x20;
        }
        return low;
    }
}
