namespace Portcullis.Waf.Transformations;

/// <summary>
/// <c>t:cssDecode</c> — CSS 2 escapes, per ModSecurity v2's <c>css_decode_inplace</c>: a backslash and one to six hex
/// digits give one byte (the last two digits; one digit is its own value), with the full-width ASCII check for
/// four-digit escapes and five/six-digit ones padded with zeros; one whitespace after a hex escape is swallowed;
/// backslash-newline is removed; backslash before anything else yields that char; a trailing backslash is dropped.
/// Example: <c>\3c script\00003e</c> → <c>&lt;script&gt;</c>.
/// </summary>
internal sealed class CssDecode : Transformation
{
    public static readonly CssDecode Instance = new();

    private CssDecode()
    {
    }

    public override string Name => "cssDecode";

    public override bool NeverLengthens => true;

    /// <inheritdoc />
    /// <remarks>Escapes start with a backslash.</remarks>
    public override string? Triggers => "\\";

    public override string Apply(string input)
    {
        var span = input.AsSpan();
        var first = span.IndexOf('\\');
        if (first < 0)
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
                i++; // The backslash itself never reaches the output.
                if (i >= span.Length)
                {
                    break;
                }
                var digits = 0;
                while (digits < 6 && i + digits < span.Length && CType.IsHexDigit(span[i + digits]))
                {
                    digits++;
                }
                if (digits > 0)
                {
                    output.Append(HexEscapeByte(span.Slice(i, digits)));
                    if (i + digits < span.Length && CType.IsSpace(span[i + digits]))
                    {
                        digits++;
                    }
                    i += digits;
                }
                else if (span[i] == '\n')
                {
                    i++;
                }
                else
                {
                    output.Append(span[i]);
                    i++;
                }
            }
            return output.ToStringOrOriginal(input);
        }
        finally
        {
            output.Dispose();
        }
    }

    private static char HexEscapeByte(ReadOnlySpan<char> hex)
    {
        if (hex.Length == 1)
        {
            return (char)CType.HexValue(hex[0]);
        }
        var value = CType.HexPair(hex[^2], hex[^1]);
        var fullWidthCheck = hex.Length switch
        {
            4 => true,
            5 => hex[0] == '0',
            6 => hex[0] == '0' && hex[1] == '0',
            _ => false,
        };
        // FFxx with xx in 01–5E is full-width ASCII: map it to ASCII like urlDecodeUni does.
        if (fullWidthCheck && value > 0 && value < 0x5F && CType.IsF(hex[^3]) && CType.IsF(hex[^4]))
        {
            value += (char)0x20;
        }
        return value;
    }
}
