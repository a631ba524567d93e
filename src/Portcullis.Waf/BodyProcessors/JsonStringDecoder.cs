using System.Buffers;
using System.Text;

namespace Portcullis.Waf.BodyProcessors;

/// <summary>
/// Unescapes a JSON string token straight to UTF-8 bytes (never through UTF-16 text), the way yajl's
/// <c>yajl_string_decode</c> does for ModSecurity: a high surrogate escape followed by a low one is one code point,
/// a high surrogate escape without one becomes <c>?</c>, a lone low surrogate escape is encoded as its own three bytes.
/// The token was already checked by <see cref="System.Text.Json.Utf8JsonReader"/> (every escape is well formed).
/// </summary>
internal static class JsonStringDecoder
{
    public static void Decode(ReadOnlySpan<byte> escaped, ArrayBufferWriter<byte> output)
    {
        var i = 0;
        while (i < escaped.Length)
        {
            var backslash = escaped[i..].IndexOf((byte)'\\');
            if (backslash < 0)
            {
                output.Write(escaped[i..]);
                return;
            }
            output.Write(escaped.Slice(i, backslash));
            i += backslash + 1;

            var c = escaped[i++];
            if (c != (byte)'u')
            {
                output.Write([Unescape(c)]);
                continue;
            }

            var codePoint = Hex4(escaped.Slice(i, 4));
            i += 4;
            if (codePoint is >= 0xD800 and <= 0xDBFF)
            {
                var low = i + 6 <= escaped.Length && escaped[i] == (byte)'\\' && escaped[i + 1] == (byte)'u'
                    ? Hex4(escaped.Slice(i + 2, 4))
                    : -1;
                if (low is >= 0xDC00 and <= 0xDFFF)
                {
                    codePoint = 0x10000 + ((codePoint - 0xD800) << 10) + (low - 0xDC00);
                    i += 6;
                }
                else
                {
                    output.Write("?"u8);
                    continue;
                }
            }
            WriteUtf8(codePoint, output);
        }
    }

    private static byte Unescape(byte c) => c switch
    {
        (byte)'b' => (byte)'\b',
        (byte)'f' => (byte)'\f',
        (byte)'n' => (byte)'\n',
        (byte)'r' => (byte)'\r',
        (byte)'t' => (byte)'\t',
        _ => c, // '"', '\\' and '/'
    };

    private static int Hex4(ReadOnlySpan<byte> hex)
    {
        var value = 0;
        foreach (var h in hex)
        {
            value = (value << 4) | (h <= (byte)'9' ? h - '0' : (h | 0x20) - 'a' + 10);
        }
        return value;
    }

    private static void WriteUtf8(int codePoint, ArrayBufferWriter<byte> output)
    {
        Span<byte> bytes = stackalloc byte[4];
        if (Rune.TryCreate(codePoint, out var rune))
        {
            output.Write(bytes[..rune.EncodeToUtf8(bytes)]);
            return;
        }

        // A lone low surrogate: no valid UTF-8 exists, yajl writes the generic three-byte form.
        bytes[0] = (byte)(0xE0 | (codePoint >> 12));
        bytes[1] = (byte)(0x80 | ((codePoint >> 6) & 0x3F));
        bytes[2] = (byte)(0x80 | (codePoint & 0x3F));
        output.Write(bytes[..3]);
    }
}
