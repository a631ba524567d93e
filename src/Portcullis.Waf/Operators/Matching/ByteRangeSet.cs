using System.Buffers;
using System.Globalization;

namespace Portcullis.Waf.Operators.Matching;

/// <summary>
/// The allowed bytes of <c>@validateByteRange</c>: a 256-bit table parsed from <c>1-255</c> or
/// <c>9,10,13,32-126</c> (v2 <c>msre_op_validateByteRange_init</c>; entries may carry spaces, which v2's
/// <c>atoi</c> skips). v2 turns an unparsable number into 0 silently; we refuse it.
/// </summary>
internal sealed class ByteRangeSet
{
    private readonly ulong[] _bits;
    private readonly SearchValues<char> _inside;

    private ByteRangeSet(ulong[] bits)
    {
        _bits = bits;
        var members = new List<char>();
        for (var b = 0; b < 256; b++)
        {
            if (Contains((byte)b))
            {
                members.Add((char)b);
            }
        }
        _inside = SearchValues.Create(members.ToArray());
    }

    public static ByteRangeSet Parse(string parameter)
    {
        var bits = new ulong[4];
        if (string.IsNullOrWhiteSpace(parameter))
        {
            throw new FormatException("@validateByteRange needs a range list such as '1-255' or '9,10,13,32-126'.");
        }
        foreach (var raw in parameter.Split(','))
        {
            var entry = raw.Trim();
            var dash = entry.IndexOf('-', StringComparison.Ordinal);
            var startText = dash < 0 ? entry : entry[..dash].Trim();
            var endText = dash < 0 ? entry : entry[(dash + 1)..].Trim();
            if (!TryParseByte(startText, out var start) || !TryParseByte(endText, out var end))
            {
                throw new FormatException(
                    $"@validateByteRange entry '{entry}' in '{parameter}' must be a byte value 0-255 or a range like 32-126.");
            }
            if (start > end)
            {
                throw new FormatException(
                    $"@validateByteRange entry '{entry}' in '{parameter}' is an empty range (start above end).");
            }
            for (var b = start; b <= end; b++)
            {
                bits[b >> 6] |= 1UL << (b & 63);
            }
        }
        return new ByteRangeSet(bits);
    }

    public bool Contains(byte value) => (_bits[value >> 6] & (1UL << (value & 63))) != 0;

    /// <summary>Index of the first char whose byte is not allowed, or -1 when every byte is inside.</summary>
    public int IndexOfFirstOutside(string input) => input.AsSpan().IndexOfAnyExcept(_inside);

    /// <summary>How many bytes are outside (v2 logs "Found N byte(s) outside range").</summary>
    public int CountOutside(string input)
    {
        var span = input.AsSpan();
        var count = 0;
        int next;
        while ((next = span.IndexOfAnyExcept(_inside)) >= 0)
        {
            count++;
            span = span[(next + 1)..];
        }
        return count;
    }

    private static bool TryParseByte(string text, out int value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value <= 255;
}
