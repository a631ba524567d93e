namespace Portcullis.Waf.Transformations;

/// <summary>
/// <c>t:utf8toUnicode</c> — rewrites each multi-byte UTF-8 sequence as <c>%uHHHH</c> text (lowercase hex, at least
/// four digits) so a following urlDecodeUni can fold it, per ModSecurity v2's <c>utf8_unicode_inplace_ex</c>:
/// <list type="bullet">
/// <item>ASCII and bytes that cannot start a sequence (0x80–0xBF, 0xF8–0xFF) are copied.</item>
/// <item>A lead byte whose continuation bytes are missing or wrong is dropped; scanning resumes at the next byte.</item>
/// <item>An overlong form or a surrogate is converted and then its lead byte is appended as well (so
/// <c>C0 AF</c> → <c>%u002f\xC0</c>); a lead byte 0xF5–0xF7 is emitted before its conversion.</item>
/// </list>
/// One deliberate difference: v2 loses NUL bytes (its NUL branch writes without advancing); we copy them, as
/// ModSecurity v3 and Coraza do, since dropping bytes is the kind of difference evasions are built on.
/// Example: <c>caf\xC3\xA9</c> → <c>caf%u00e9</c>.
/// </summary>
internal sealed class Utf8ToUnicode : Transformation
{
    public static readonly Utf8ToUnicode Instance = new();

    private Utf8ToUnicode()
    {
    }

    public override string Name => "utf8toUnicode";

    /// <inheritdoc />
    /// <remarks>Only bytes ≥ 0x80 start a UTF-8 sequence.</remarks>
    public override string? Triggers => "";

    public override string Apply(string input)
    {
        var span = input.AsSpan();
        var first = span.IndexOfAnyExceptInRange('\0', '\x7F');
        if (first < 0)
        {
            return input;
        }

        var output = new Latin1Builder(stackalloc char[512]);
        try
        {
            output.Append(span[..first]);
            var i = first;
            while (i < span.Length)
            {
                var c = span[i];
                if (c < 0x80)
                {
                    output.Append(c);
                    i++;
                    continue;
                }
                i += ConvertSequence(span, i, ref output);
            }
            return output.ToStringOrOriginal(input);
        }
        finally
        {
            output.Dispose();
        }
    }

    /// <summary>Handles the sequence led by the byte at <paramref name="i"/> (≥ 0x80); returns the bytes consumed.</summary>
    private static int ConvertSequence(ReadOnlySpan<char> span, int i, ref Latin1Builder output)
    {
        var c = span[i];
        int length;
        int codePoint;
        if (c > 0xFF)
        {
            output.Append(c); // Not a byte: never produced by our own decoders, passed through untouched.
            return 1;
        }
        if ((c & 0xE0) == 0xC0)
        {
            length = 2;
            codePoint = c & 0x1F;
        }
        else if ((c & 0xF0) == 0xE0)
        {
            length = 3;
            codePoint = c & 0x0F;
        }
        else if ((c & 0xF8) == 0xF0)
        {
            length = 4;
            codePoint = c & 0x07;
            if (c >= 0xF5)
            {
                // v2 writes the out-of-range lead byte first, then still tries the sequence.
                output.Append(c);
            }
        }
        else
        {
            output.Append(c);
            return 1;
        }

        for (var k = 1; k < length; k++)
        {
            if (i + k >= span.Length || (span[i + k] & 0xC0) != 0x80 || span[i + k] > 0xFF)
            {
                return 1; // Truncated or invalid: the lead byte is dropped.
            }
            codePoint = (codePoint << 6) | (span[i + k] & 0x3F);
        }

        AppendPercentU(codePoint, ref output);
        var overlong = codePoint < (length switch { 2 => 0x80, 3 => 0x800, _ => 0x10000 });
        if (codePoint is >= 0xD800 and <= 0xDFFF)
        {
            output.Append(c);
        }
        if (overlong)
        {
            output.Append(c);
        }
        return length;
    }

    private static void AppendPercentU(int codePoint, ref Latin1Builder output)
    {
        output.Append('%');
        output.Append('u');
        var digits = 4;
        while (digits < 8 && codePoint >> (digits * 4) != 0)
        {
            digits++;
        }
        for (var shift = (digits - 1) * 4; shift >= 0; shift -= 4)
        {
            output.Append(CType.HexDigit((codePoint >> shift) & 0xF));
        }
    }
}
