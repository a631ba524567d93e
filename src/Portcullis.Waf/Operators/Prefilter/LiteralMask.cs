namespace Portcullis.Waf.Operators.Prefilter;

/// <summary>
/// One prefilter's literals as bits of its rule set's <see cref="LiteralScanner"/>: the value may match when any of
/// them was found. Only the words the literals fall in are kept (a prefilter's own literals get consecutive ids).
/// </summary>
internal sealed class LiteralMask
{
    private readonly int _firstWord;
    private readonly ulong[] _bits;

    public LiteralMask(IEnumerable<int> ids)
    {
        var sorted = ids.Order().ToArray();
        _firstWord = sorted[0] >> 6;
        _bits = new ulong[(sorted[^1] >> 6) - _firstWord + 1];
        foreach (var id in sorted)
        {
            _bits[(id >> 6) - _firstWord] |= 1UL << (id & 63);
        }
    }

    /// <summary>The ids of this mask's literals, in order.</summary>
    public IEnumerable<int> Ids
    {
        get
        {
            for (var word = 0; word < _bits.Length; word++)
            {
                for (var bits = _bits[word]; bits != 0; bits &= bits - 1)
                {
                    yield return ((_firstWord + word) << 6) + System.Numerics.BitOperations.TrailingZeroCount(bits);
                }
            }
        }
    }

    /// <summary>True when one of <paramref name="ids"/> (literals found in a value) is one of this mask's.</summary>
    public bool Any(ReadOnlySpan<int> ids)
    {
        var bits = _bits;
        foreach (var id in ids)
        {
            var word = (id >> 6) - _firstWord;
            if ((uint)word < (uint)bits.Length && (bits[word] & (1UL << (id & 63))) != 0)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>True when one of this mask's literals has its bit set in <paramref name="found"/>.</summary>
    public bool Any(ReadOnlySpan<ulong> found)
    {
        var words = found.Slice(_firstWord, _bits.Length);
        for (var i = 0; i < _bits.Length; i++)
        {
            if ((words[i] & _bits[i]) != 0)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>True when every mask has one of its literals among <paramref name="ids"/>.</summary>
    public static bool AllMet(LiteralMask[] masks, ReadOnlySpan<int> ids)
    {
        foreach (var mask in masks)
        {
            if (!mask.Any(ids))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>True when every mask has one of its literals' bits set in <paramref name="found"/>.</summary>
    public static bool AllMet(LiteralMask[] masks, ReadOnlySpan<ulong> found)
    {
        foreach (var mask in masks)
        {
            if (!mask.Any(found))
            {
                return false;
            }
        }
        return true;
    }
}
