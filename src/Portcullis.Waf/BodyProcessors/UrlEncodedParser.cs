using System.Buffers;

namespace Portcullis.Waf.BodyProcessors;

/// <summary>
/// URLENCODED processor, also used for the query string (ARGS_GET): ModSecurity v2's <c>parse_arguments</c>
/// (msc_parsers.c). Parts split on the separator; name and value split at the first <c>=</c>; a part without
/// <c>=</c> is a name with an empty value; an empty part between two separators ("a=1&amp;&amp;b=2") is an argument
/// with an empty name and value, while a trailing separator adds nothing; duplicates stay in order. Both sides go
/// through the non-strict decoder: <c>+</c> → space, <c>%XX</c> → byte, an invalid or truncated <c>%</c> escape is
/// kept literally and counted (URLENCODED_ERROR). Results are byte strings, never UTF-8 decoded.
/// </summary>
internal static class UrlEncodedParser
{
    public const byte DefaultSeparator = (byte)'&';

    public static void Parse(ReadOnlySpan<byte> body, List<KeyValuePair<string, string>> into) =>
        Parse(body, into, DefaultSeparator, out _);

    /// <param name="body">The raw body or query string (without the <c>?</c>).</param>
    /// <param name="into">Receives the arguments in order.</param>
    /// <param name="separator">SecArgumentSeparator (<c>&amp;</c> unless configured).</param>
    /// <param name="invalidEncodings">How many <c>%</c> escapes were invalid: ModSecurity sets URLENCODED_ERROR when non-zero.</param>
    public static void Parse(ReadOnlySpan<byte> body, List<KeyValuePair<string, string>> into, byte separator, out int invalidEncodings)
    {
        invalidEncodings = 0;
        var position = 0;
        while (position < body.Length)
        {
            var rest = body[position..];
            var stop = rest.IndexOfAny((byte)'=', separator);
            if (stop < 0)
            {
                // Runs to the end without '=': a name with an empty value.
                into.Add(new(Decode(rest, ref invalidEncodings), string.Empty));
                return;
            }

            var name = Decode(rest[..stop], ref invalidEncodings);
            if (rest[stop] == separator)
            {
                into.Add(new(name, string.Empty));
                position += stop + 1;
                continue;
            }

            var valueAndRest = rest[(stop + 1)..];
            var end = valueAndRest.IndexOf(separator);
            var value = end < 0 ? valueAndRest : valueAndRest[..end];
            into.Add(new(name, Decode(value, ref invalidEncodings)));
            position += stop + 1 + (end < 0 ? valueAndRest.Length : end + 1);
        }
    }

    /// <summary>ModSecurity's <c>urldecode_nonstrict_inplace_ex</c>.</summary>
    internal static string Decode(ReadOnlySpan<byte> input, ref int invalidEncodings)
    {
        if (input.IndexOfAny((byte)'%', (byte)'+') < 0)
        {
            return ByteStrings.FromBytes(input);
        }

        byte[]? rented = null;
        var output = input.Length <= 256 ? stackalloc byte[256] : (rented = ArrayPool<byte>.Shared.Rent(input.Length));
        try
        {
            var count = 0;
            var i = 0;
            while (i < input.Length)
            {
                var c = input[i];
                if (c == (byte)'%')
                {
                    if (i + 2 < input.Length && IsHex(input[i + 1]) && IsHex(input[i + 2]))
                    {
                        output[count++] = (byte)((HexValue(input[i + 1]) << 4) | HexValue(input[i + 2]));
                        i += 3;
                        continue;
                    }
                    invalidEncodings++;
                    output[count++] = c;
                }
                else
                {
                    output[count++] = c == (byte)'+' ? (byte)' ' : c;
                }
                i++;
            }
            return ByteStrings.FromBytes(output[..count]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static bool IsHex(byte c) => char.IsAsciiHexDigit((char)c);

    private static int HexValue(byte c) => c <= (byte)'9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
