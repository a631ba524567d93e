namespace Portcullis.Waf.Transformations;

/// <summary>
/// <c>t:htmlEntityDecode</c> — ModSecurity v2's <c>html_entities_decode_inplace</c>: <c>&amp;#xHH;</c>,
/// <c>&amp;#DDD;</c> and the named entities of <see cref="HtmlEntityNames"/>, the semicolon optional, only the low
/// byte of a numeric entity kept (<c>strtol</c> saturates, so an overlong number gives 0xFF). Unknown names and
/// entities without digits are copied as they are. Example: <c>&amp;lt;a&amp;#x3e&amp;foo;</c> → <c>&lt;a&gt;&amp;foo;</c>.
/// </summary>
internal sealed class HtmlEntityDecode : Transformation
{
    public static readonly HtmlEntityDecode Instance = new();

    private HtmlEntityDecode()
    {
    }

    public override string Name => "htmlEntityDecode";

    public override bool NeverLengthens => true;

    /// <inheritdoc />
    /// <remarks>Entities start with <c>&amp;</c>.</remarks>
    public override string? Triggers => "&";

    public override string Apply(string input)
    {
        var span = input.AsSpan();
        var first = span.IndexOf('&');
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
                if (span[i] != '&')
                {
                    var run = span[i..].IndexOf('&');
                    var end = run < 0 ? span.Length : i + run;
                    output.Append(span[i..end]);
                    i = end;
                    continue;
                }
                var consumed = TryDecodeEntity(span, i, out var decoded, out var copy);
                if (consumed > 0)
                {
                    output.Append(decoded);
                    changed = true;
                    i += consumed;
                }
                else
                {
                    // Not an entity: ModSecurity copies what it looked at ("&", "&#", "&#x" or "&name") verbatim.
                    output.Append(span.Slice(i, copy));
                    i += copy;
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
    /// Decodes the entity at <paramref name="start"/> (an ampersand). Returns how many chars it spans (0 when it is
    /// not one, with <paramref name="copy"/> the number of chars to copy as text).
    /// </summary>
    private static int TryDecodeEntity(ReadOnlySpan<char> span, int start, out char decoded, out int copy)
    {
        decoded = '\0';
        copy = 1;
        var j = start + 1;
        if (j >= span.Length)
        {
            return 0;
        }
        if (span[j] == '#')
        {
            copy = 2;
            if (++j >= span.Length)
            {
                return 0;
            }
            var hex = span[j] is 'x' or 'X';
            if (hex)
            {
                copy = 3;
                if (++j >= span.Length)
                {
                    return 0;
                }
            }
            var digitsStart = j;
            while (j < span.Length && (hex ? CType.IsHexDigit(span[j]) : CType.IsDigit(span[j])))
            {
                j++;
            }
            if (j == digitsStart)
            {
                return 0;
            }
            decoded = (char)(SaturatingParse(span[digitsStart..j], hex ? 16 : 10) & 0xFF);
            return SkipSemicolon(span, j) - start;
        }

        var nameStart = j;
        while (j < span.Length && CType.IsAlnum(span[j]))
        {
            j++;
        }
        if (j == nameStart)
        {
            return 0;
        }
        if (!HtmlEntityNames.TryGet(span[nameStart..j], out decoded))
        {
            copy = j - start;
            return 0;
        }
        return SkipSemicolon(span, j) - start;
    }

    private static int SkipSemicolon(ReadOnlySpan<char> span, int j) => j < span.Length && span[j] == ';' ? j + 1 : j;

    /// <summary><c>strtol</c> on a 64-bit <c>long</c>: clamps at <see cref="long.MaxValue"/> instead of wrapping.</summary>
    private static long SaturatingParse(ReadOnlySpan<char> digits, int radix)
    {
        long value = 0;
        foreach (var digit in digits)
        {
            var d = CType.HexValue(digit);
            if (value > (long.MaxValue - d) / radix)
            {
                return long.MaxValue;
            }
            value = (value * radix) + d;
        }
        return value;
    }
}
