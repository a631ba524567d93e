namespace Portcullis.Waf.Operators.Prefilter;

/// <summary>
/// Exactly which ASCII characters a value holds (bit c for char c, no case folding), and whether it holds any above
/// 0x7F; also a set of characters a transformation pipeline leaves alone (<see cref="Transformations.UnchangedValues"/>).
/// The literal scan notes it for free (<see cref="LiteralScanner.Scan(ReadOnlySpan{char}, Span{ulong}, ref int[], ref int)"/>);
/// <see cref="Folded"/> is the case-folded <see cref="CharMask"/> the prefilters test.
/// </summary>
internal readonly record struct AsciiChars(ulong Low, ulong High, bool HasOther)
{
    /// <summary>The set holding exactly <paramref name="chars"/> (those above 0x7F set <see cref="HasOther"/>).</summary>
    public static AsciiChars Of(ReadOnlySpan<char> chars)
    {
        ulong low = 0, high = 0;
        var other = false;
        foreach (var c in chars)
        {
            if (c < 64)
            {
                low |= 1UL << c;
            }
            else if (c < 128)
            {
                high |= 1UL << (c - 64);
            }
            else
            {
                other = true;
            }
        }
        return new AsciiChars(low, high, other);
    }

    public bool Contains(char c) => c < 64 ? (Low & (1UL << c)) != 0 : c < 128 ? (High & (1UL << (c - 64))) != 0 : HasOther;

    public CharMask Folded => CharMask.Folded(Low, High, HasOther);

    public AsciiChars Or(AsciiChars other) => new(Low | other.Low, High | other.High, HasOther | other.HasOther);

    /// <summary>True when every character of this set is in <paramref name="other"/>.</summary>
    public bool IsSubsetOf(AsciiChars other) =>
        (Low & ~other.Low) == 0 && (High & ~other.High) == 0 && (!HasOther || other.HasOther);
}
