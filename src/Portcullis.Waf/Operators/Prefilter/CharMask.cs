using System.Numerics;

namespace Portcullis.Waf.Operators.Prefilter;

/// <summary>
/// Which ASCII characters a value holds, A-Z folded to a-z, as 128 bits; <see cref="HasOther"/> when it also holds a
/// character above 0x7F (then <see cref="CharRequirement"/> answers "may match" without looking). Computed in the
/// same pass as the literal scan (<see cref="LiteralScanner.Scan"/>), or on its own by <see cref="Of"/>.
/// </summary>
internal readonly record struct CharMask(ulong Low, ulong High, bool HasOther)
{
    // Bits 1-26 of the upper word are A-Z, bits 33-58 a-z.
    private const ulong UpperLetters = 0x7FFFFFEUL;

    public static CharMask Of(ReadOnlySpan<char> value) => AsciiChars.Of(value).Folded;

    /// <summary>The mask from raw bits (bit c set for every ASCII char c seen), with A-Z moved onto a-z.</summary>
    public static CharMask Folded(ulong low, ulong high, bool other) => new(low, (high & ~UpperLetters) | ((high & UpperLetters) << 32), other);

    public CharMask Or(CharMask other) => new(Low | other.Low, High | other.High, HasOther | other.HasOther);

    public bool Meets(CharMask clause) => ((Low & clause.Low) | (High & clause.High)) != 0;

    public int Count => BitOperations.PopCount(Low) + BitOperations.PopCount(High);

    public bool Contains(char c) => c < 64 ? (Low & (1UL << c)) != 0 : c < 128 && (High & (1UL << (c - 64))) != 0;

    public bool IsSubsetOf(CharMask other) => (Low & ~other.Low) == 0 && (High & ~other.High) == 0;
}
