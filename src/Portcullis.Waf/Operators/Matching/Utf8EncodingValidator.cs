namespace Portcullis.Waf.Operators.Matching;

/// <summary>
/// <c>@validateUtf8Encoding</c> over a byte string (ModSecurity v2 <c>detect_utf8_character</c>, RFC 3629). The
/// first bad sequence decides the result. Two corrections to v2: its four-byte decode shifts the third byte with
/// <c>&lt; 6</c> instead of <c>&lt;&lt; 6</c> (so some overlong four-byte forms pass), and it only rejects lead bytes
/// ≥ 0xF5 as beyond U+10FFFF while F4 90–BF … is beyond it too; both are flagged here, as v2's comments intend.
/// </summary>
internal static class Utf8EncodingValidator
{
    public static Utf8EncodingResult Validate(string latin1Bytes) => Validate(latin1Bytes, out _);

    /// <param name="latin1Bytes">The value, one char per byte.</param>
    /// <param name="offset">Where the offending sequence starts, or -1 when valid.</param>
    public static Utf8EncodingResult Validate(string latin1Bytes, out int offset)
    {
        var span = latin1Bytes.AsSpan();
        var i = span.IndexOfAnyExceptInRange('\0', '\x7F');
        while (i >= 0 && i < span.Length)
        {
            var result = Check(span[i..], out var length);
            if (result != Utf8EncodingResult.Valid)
            {
                offset = i;
                return result;
            }
            i += length;
            var next = span[i..].IndexOfAnyExceptInRange('\0', '\x7F');
            i = next < 0 ? -1 : i + next;
        }
        offset = -1;
        return Utf8EncodingResult.Valid;
    }

    private static Utf8EncodingResult Check(ReadOnlySpan<char> bytes, out int length)
    {
        var c = bytes[0];
        int codePoint;
        int minimum;
        if ((c & 0xE0) == 0xC0 && c <= 0xFF)
        {
            (length, codePoint, minimum) = (2, c & 0x1F, 0x80);
        }
        else if ((c & 0xF0) == 0xE0 && c <= 0xFF)
        {
            (length, codePoint, minimum) = (3, c & 0x0F, 0x800);
        }
        else if ((c & 0xF8) == 0xF0 && c <= 0xFF)
        {
            if (c >= 0xF5)
            {
                length = 1;
                return Utf8EncodingResult.RestrictedCharacter;
            }
            (length, codePoint, minimum) = (4, c & 0x07, 0x10000);
        }
        else
        {
            length = 1;
            return Utf8EncodingResult.InvalidEncoding;
        }

        if (bytes.Length < length)
        {
            return Utf8EncodingResult.NotEnoughBytes;
        }
        for (var k = 1; k < length; k++)
        {
            if ((bytes[k] & 0xC0) != 0x80 || bytes[k] > 0xFF)
            {
                return Utf8EncodingResult.InvalidEncoding;
            }
            codePoint = (codePoint << 6) | (bytes[k] & 0x3F);
        }
        if (codePoint is >= 0xD800 and <= 0xDFFF || codePoint > 0x10FFFF)
        {
            return Utf8EncodingResult.RestrictedCharacter;
        }
        return codePoint < minimum ? Utf8EncodingResult.OverlongCharacter : Utf8EncodingResult.Valid;
    }
}
