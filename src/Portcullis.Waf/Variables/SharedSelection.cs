namespace Portcullis.Waf.Variables;

/// <summary>
/// The values one <see cref="TargetSet"/> selects in a transaction (under one ctl removal), shared by every rule with
/// that set, plus what the engine derived from the whole list (<see cref="Derived"/>), which lives exactly as long
/// as the values do: it is dropped whenever the list is collected again and when the transaction ends.
/// </summary>
internal sealed class SharedSelection
{
    public List<VariableValue> Values { get; } = [];

    public long Stamp { get; set; } = -1;

    /// <summary>The ctl-removed targets this selection went without (null: none).</summary>
    public RuleTarget[]? Removed { get; set; }

    /// <summary>The same set's selection under other removals: a short chain, one link per distinct removal.</summary>
    public SharedSelection? Other { get; set; }

    /// <summary>
    /// Facts about the whole list, keyed by an object of the rule set (a transformation pipeline): the literals any
    /// transformed value holds, for instance. Their storage is kept for reuse; <see cref="DerivedCount"/> says how
    /// many entries are current.
    /// </summary>
    public List<(object Key, ulong[] Bits)> Derived { get; } = [];

    private int DerivedCount { get; set; }

    /// <summary>
    /// The derived bit set kept under <paramref name="key"/>; when there is none (<paramref name="added"/>), a cleared
    /// one of <paramref name="words"/> words, reusing the storage of an earlier transaction, for the caller to fill.
    /// </summary>
    public ulong[] DerivedBits(object key, int words, out bool added)
    {
        var found = IndexOf(Derived, DerivedCount, key);
        added = found < 0;
        if (!added)
        {
            return Derived[found].Bits;
        }
        var slot = DerivedCount++;
        var bits = slot < Derived.Count && Derived[slot].Bits.Length == words ? Derived[slot].Bits : new ulong[words];
        Array.Clear(bits);
        Put(Derived, slot, key, bits);
        return bits;
    }

    private readonly List<(object Key, Transactions.ValueScans Scans)> _scans = [];
    private int _scanCount;

    /// <summary>
    /// The per-value literal scans kept under <paramref name="key"/> (a pipeline:
    /// <see cref="Transactions.SelectionLiterals.ValueScans"/>); when there are none (<paramref name="added"/>), an
    /// instance reusing the storage of an earlier transaction, for the caller to fill.
    /// </summary>
    public Transactions.ValueScans ScansFor(object key, out bool added)
    {
        var found = IndexOf(_scans, _scanCount, key);
        added = found < 0;
        if (!added)
        {
            return _scans[found].Scans;
        }
        var slot = _scanCount++;
        var scans = slot < _scans.Count ? _scans[slot].Scans : new Transactions.ValueScans();
        Put(_scans, slot, key, scans);
        return scans;
    }

    /// <summary>The index of <paramref name="key"/> among the first <paramref name="count"/> entries, or -1.</summary>
    private static int IndexOf<T>(List<(object Key, T Value)> entries, int count, object key)
    {
        for (var i = 0; i < count; i++)
        {
            if (ReferenceEquals(entries[i].Key, key))
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>Stores an entry at <paramref name="slot"/>, over the one a previous transaction left there or after the last.</summary>
    private static void Put<T>(List<(object Key, T Value)> entries, int slot, object key, T value)
    {
        if (slot < entries.Count)
        {
            entries[slot] = (key, value);
        }
        else
        {
            entries.Add((key, value));
        }
    }

    /// <summary>
    /// Each value's characters as collected, filled with the union of the values as collected
    /// (<see cref="Transactions.SelectionLiterals"/>) and valid while that is kept in <see cref="Derived"/>.
    /// </summary>
    public Operators.Prefilter.AsciiChars[] CollectedChars { get; private set; } = [];

    /// <summary><see cref="CollectedChars"/>, long enough for <paramref name="count"/> values, for the caller to fill.</summary>
    public Operators.Prefilter.AsciiChars[] CollectedCharsFor(int count)
    {
        if (CollectedChars.Length < count)
        {
            CollectedChars = new Operators.Prefilter.AsciiChars[Math.Max(count, CollectedChars.Length * 2)];
        }
        return CollectedChars;
    }

    /// <summary>Forgets the values and everything derived from them (their storage is kept).</summary>
    public void Reset()
    {
        Values.Clear();
        Stamp = -1;
        DerivedCount = 0;
        _scanCount = 0;
        // The scans of a huge list are not kept for the next transaction: ordinary requests do not need that much.
        if (_scans.Exists(s => s.Scans.IsLarge))
        {
            _scans.Clear();
        }
    }
}
