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

    public int DerivedCount { get; set; }

    /// <summary>Forgets the values and everything derived from them (their storage is kept).</summary>
    public void Reset()
    {
        Values.Clear();
        Stamp = -1;
        DerivedCount = 0;
    }
}
