namespace Portcullis.Waf.Transformations;

/// <summary>
/// <c>t:jsDecode</c> — JavaScript escapes, as ModSecurity v2's <c>js_decode_nonstrict_inplace</c>:
/// <c>\uHHHH</c> (low byte; full-width ASCII U+FF01–U+FF5E mapped to ASCII), <c>\xHH</c>, <c>\OOO</c> (at most one
/// byte: a three-digit escape starting above 3 uses two digits), <c>\a \b \f \n \r \t \v</c>, and <c>\C</c> → C for
/// anything else (including a malformed <c>\u</c>/<c>\x</c>). A backslash at the very end is kept.
/// Example: <c>\x3cscript\u003e</c> → <c>&lt;script&gt;</c>.
/// </summary>
internal sealed class JsDecode : Transformation
{
    public static readonly JsDecode Instance = new();

    private JsDecode()
    {
    }

    public override string Name => "jsDecode";

    public override bool NeverLengthens => true;

    /// <inheritdoc />
    /// <remarks>Escapes start with a backslash.</remarks>
    public override string? Triggers => "\\";

    public override string Apply(string input)
    {
        var span = input.AsSpan();
        var first = span.IndexOf('\\');
        if (first < 0 || first == span.Length - 1)
        {
            return input;
        }

        var output = new Latin1Builder(stackalloc char[256]);
        try
        {
            output.EnsureCapacity(span.Length);
            output.Append(span[..first]);
            var i = first;
            while (i < span.Length)
            {
                if (span[i] != '\\')
                {
                    var run = span[i..].IndexOf('\\');
                    var end = run < 0 ? span.Length : i + run;
                    output.Append(span[i..end]);
                    i = end;
                    continue;
                }
                i = DecodeEscape(span, i, ref output);
            }
            return output.ToString();
        }
        finally
        {
            output.Dispose();
        }
    }

    /// <summary>Decodes the escape at <paramref name="i"/> (a backslash) and returns the index after it.</summary>
    private static int DecodeEscape(ReadOnlySpan<char> span, int i, ref Latin1Builder output)
    {
        if (i + 5 < span.Length && span[i + 1] == 'u' && CType.IsHexDigit(span[i + 2]) && CType.IsHexDigit(span[i + 3])
            && CType.IsHexDigit(span[i + 4]) && CType.IsHexDigit(span[i + 5]))
        {
            output.Append(PercentDecoder.UnicodeLowByte(span[i + 2], span[i + 3], span[i + 4], span[i + 5]));
            return i + 6;
        }
        if (i + 3 < span.Length && span[i + 1] == 'x' && CType.IsHexDigit(span[i + 2]) && CType.IsHexDigit(span[i + 3]))
        {
            output.Append(CType.HexPair(span[i + 2], span[i + 3]));
            return i + 4;
        }
        if (i + 1 < span.Length && CType.IsOctalDigit(span[i + 1]))
        {
            var digits = OctalEscape.CountDigits(span, i + 1);
            if (digits == 3 && span[i + 1] > '3')
            {
                // "\777" would not fit a byte: ModSecurity takes "\77" and leaves the last digit as text.
                digits = 2;
            }
            output.Append((char)(OctalEscape.Value(span.Slice(i + 1, digits)) & 0xFF));
            return i + 1 + digits;
        }
        if (i + 1 < span.Length)
        {
            output.Append(span[i + 1] switch
            {
                'a' => '\a',
                'b' => '\b',
                'f' => '\f',
                'n' => '\n',
                'r' => '\r',
                't' => '\t',
                'v' => '\v',
                var other => other,
            });
            return i + 2;
        }
        output.Append('\\');
        return i + 1;
    }
}
