namespace Portcullis.Waf.Operators.Prefilter;

/// <summary>
/// A set of bytes 0x00-0xFF. Inspected values hold one byte per char (notes/waf.md §2), so 256 members are the
/// whole alphabet: a negated class is its complement within the bytes, as PCRE's byte mode sees it.
/// </summary>
internal sealed class ByteClass
{
    private readonly bool[] _members = new bool[256];

    public static ByteClass Single(char c)
    {
        var set = new ByteClass();
        set.Add(c);
        return set;
    }

    public static ByteClass All()
    {
        var set = new ByteClass();
        set.AddRange('\0', '\xFF');
        return set;
    }

    public void Add(char c) => AddRange(c, c);

    public void AddRange(char low, char high)
    {
        for (int c = low; c <= high; c++)
        {
            _members[c] = true;
        }
    }

    public void AddAll(ByteClass other)
    {
        for (var c = 0; c < 256; c++)
        {
            _members[c] |= other._members[c];
        }
    }

    public void Negate()
    {
        for (var c = 0; c < 256; c++)
        {
            _members[c] = !_members[c];
        }
    }

    public bool Contains(char c) => c <= 0xFF && _members[c];

    /// <summary>The members folded to ASCII lowercase, or null when there are more than <paramref name="limit"/> of
    /// them: a wide class is "any byte" to the analysis.</summary>
    public IReadOnlyList<char>? FoldedMembers(int limit)
    {
        var folded = new SortedSet<char>();
        for (var c = 0; c < 256; c++)
        {
            if (_members[c])
            {
                folded.Add(AsciiCase.Lower((char)c));
                if (folded.Count > limit)
                {
                    return null;
                }
            }
        }
        return [.. folded];
    }
}
