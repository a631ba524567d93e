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
}
