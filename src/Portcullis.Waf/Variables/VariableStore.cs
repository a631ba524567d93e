using System.Globalization;

namespace Portcullis.Waf.Variables;

/// <summary>
/// The variables of one transaction: collections and single values, and how a rule target selects from them.
/// ARGS is not stored: it is ARGS_GET followed by ARGS_POST, and every *_NAMES collection is the keys of its parent,
/// so nothing is held twice.
/// </summary>
internal sealed class VariableStore
{
    private readonly KeyedValues?[] _collections = new KeyedValues?[(int)VariableName.FirstSingle];
    private readonly string?[] _singles = new string?[VariableName.Count - VariableName.FirstSingle];
    private SharedSelection?[]? _selections;

    // Goes up whenever a variable a shared selection may read changes (TargetSet.IsStable: the request collections and
    // the singles set while parsing). Those change only while the engine parses, so between two parses one comparison
    // tells every shared selection it is current, with no look at its sources (CRS: ~100 selections asked per request).
    private readonly ChangeCounter _stableChanges = new();

    /// <summary>Goes up whenever a variable a target set may read changes (<see cref="TargetSet.IsStable"/>): while it
    /// stays the same, so does every such variable.</summary>
    public int StableChanges => _stableChanges.Value;

    public KeyedValues Collection(VariableName variable) =>
        _collections[(int)variable] ??= new KeyedValues(TargetSet.IsStable(variable) ? _stableChanges : null);

    public KeyedValues? CollectionOrNull(VariableName variable) => _collections[(int)variable];

    public string? Get(VariableName variable) => _singles[variable - VariableName.FirstSingle];

    /// <summary>The items stored under a collection (empty when it has none yet); valid until the collection changes.</summary>
    public ReadOnlySpan<KeyValuePair<string, string>> ItemsOf(VariableName collection) =>
        _collections[(int)collection] is { } stored ? stored.Span : [];

    /// <summary>
    /// Goes up whenever what <paramref name="source"/> (a variable a target set may read) holds changes: the collection's
    /// version, or for a single variable the count of changes to all of them (singles have no version of their own).
    /// </summary>
    public int VersionOf(VariableName source) =>
        VariableRegistry.IsCollection(source) ? _collections[(int)source]?.Version ?? 0 : _stableChanges.Value;

    public void Set(VariableName variable, string? value)
    {
        _singles[variable - VariableName.FirstSingle] = value;
        if (TargetSet.IsStable(variable))
        {
            _stableChanges.Value++;
        }
    }

    /// <summary>
    /// The values a rule with a <see cref="TargetSet"/> selects, collected once per transaction and shared by every
    /// rule with the same set until one of its source collections changes. The list is read-only for the caller.
    /// </summary>
    /// <para>With <paramref name="removed"/> (the targets a ctl:ruleRemoveTarget* took from these rules, one array for
    /// all rules it applies to) the selection is kept apart, keyed by that array: CRS 941010 takes REQUEST_FILENAME
    /// from every xss-perf-disable rule on nearly every request, and those rules then share their reduced list.</para>
    public SharedSelection CollectShared(TargetSet set, RuleTarget[] targets, RuleTarget[] exclusions, RuleTarget[]? removed, int setCount)
    {
        if (_selections is null || _selections.Length <= set.Slot)
        {
            Array.Resize(ref _selections, Math.Max(setCount, set.Slot + 1));
        }
        // Every source of a target set is stable (TargetSets), so the count of stable changes is a stamp for all of them.
        var stamp = _stableChanges.Value;
        var cached = _selections[set.Slot];
        while (cached is not null && !ReferenceEquals(cached.Removed, removed))
        {
            cached = cached.Other;
        }
        if (cached is not null && cached.Stamp == stamp)
        {
            return cached;
        }
        if (cached is null)
        {
            cached = Rent();
            cached.Removed = removed;
            cached.Other = _selections[set.Slot];
            _selections[set.Slot] = cached;
        }
        cached.Reset();
        foreach (var target in targets)
        {
            Collect(target, exclusions, removed, cached.Values);
        }
        cached.Stamp = stamp;
        return cached;
    }

    /// <summary>
    /// Gives the shared selections back for the next transaction on this thread, emptied (no value outlives its
    /// request). Without it they are garbage like the rest of the transaction.
    /// </summary>
    public void ReleaseSelections()
    {
        if (_selections is null)
        {
            return;
        }
        var pool = t_pool ??= new Stack<SharedSelection>();
        foreach (var first in _selections)
        {
            for (var selection = first; selection is not null;)
            {
                var other = selection.Other;
                selection.Reset();
                selection.Removed = null;
                selection.Other = null;
                // A list grown by one huge request is not kept: the pool holds only what ordinary requests need.
                if (pool.Count < MaxPooledSelections && selection.Values.Capacity <= MaxPooledCapacity && selection.Derived.Count <= MaxPooledDerived)
                {
                    pool.Push(selection);
                }
                selection = other;
            }
        }
        _selections = null;
    }

    private const int MaxPooledSelections = 256;

    private const int MaxPooledCapacity = 1024;

    // Derived facts are one per pipeline a selection met (CRS: a handful); more means an unusual rule set, not kept.
    private const int MaxPooledDerived = 32;

    [ThreadStatic]
    private static Stack<SharedSelection>? t_pool;

    private static SharedSelection Rent() => t_pool is { Count: > 0 } pool ? pool.Pop() : new SharedSelection();


    /// <summary>
    /// The item a named target (<see cref="Rules.Rule.NamedTarget"/>) selects, or null, found with one index probe; what
    /// <see cref="Collect"/> gives for it without exclusions. False when the collection holds the key more than once:
    /// then only <see cref="Collect"/> selects every occurrence.
    /// </summary>
    public bool TryCollectNamed(RuleTarget target, out VariableValue? value)
    {
        value = null;
        if (_collections[(int)target.Variable] is not { Count: > 0 } collection)
        {
            return true;
        }
        if (collection.HasRepeatedKeys)
        {
            return false;
        }
        var index = collection.IndexOf(target.Key!);
        if (index >= 0)
        {
            var item = collection.Span[index];
            value = new VariableValue(target.Variable, item.Key, item.Value);
        }
        return true;
    }

    /// <summary>Adds what <paramref name="target"/> selects to <paramref name="into"/>, minus the exclusions.</summary>
    public void Collect(RuleTarget target, IReadOnlyList<RuleTarget>? exclusions, IReadOnlyList<RuleTarget>? runtimeExclusions, List<VariableValue> into)
    {
        var variable = target.Variable;
        if (!VariableRegistry.IsCollection(variable))
        {
            // A single value is named by the variable alone, so `!REQUEST_FILENAME` in the rule or
            // ctl:ruleRemoveTargetById/ByTag=...;REQUEST_FILENAME drops it (v2 re.c: negated targets unset the
            // generated var by name; fetch_target_exception skips a var whose name equals a key-less exception).
            // CRS 941010 relies on this to take REQUEST_FILENAME away from the xss-perf-disable rules.
            if (IsExcluded(variable, exclusions) || IsExcluded(variable, runtimeExclusions))
            {
                return;
            }
            var value = Get(variable);
            if (target.Count)
            {
                into.Add(new VariableValue(variable, null, value is null ? "0" : "1"));
            }
            else if (value is not null)
            {
                into.Add(new VariableValue(variable, null, value));
            }
            return;
        }

        var start = into.Count;
        foreach (var part in ValuePart.Of(variable))
        {
            AddItems(variable, part.Source, part.Names, target, exclusions, runtimeExclusions, into);
        }

        if (target.Count)
        {
            var count = into.Count - start;
            into.RemoveRange(start, count);
            into.Add(new VariableValue(variable, target.Key, count.ToString(CultureInfo.InvariantCulture)));
        }
    }

    private void AddItems(
        VariableName reportedAs,
        VariableName source,
        bool names,
        RuleTarget target,
        IReadOnlyList<RuleTarget>? exclusions,
        IReadOnlyList<RuleTarget>? runtimeExclusions,
        List<VariableValue> into)
    {
        if (_collections[(int)source] is not { Count: > 0 } collection)
        {
            return;
        }
        if (target.Key is { } key && target.KeyRegex is null && !collection.HasRepeatedKeys)
        {
            // A named key in a collection without repeats: at most one item, found by the index.
            var index = collection.IndexOf(key);
            if (index >= 0)
            {
                AddItem(reportedAs, collection.Span[index], names, exclusions, runtimeExclusions, into);
            }
            return;
        }
        foreach (var item in collection.Span)
        {
            if (target.SelectsKey(item.Key))
            {
                AddItem(reportedAs, item, names, exclusions, runtimeExclusions, into);
            }
        }
    }

    private static void AddItem(
        VariableName reportedAs,
        KeyValuePair<string, string> item,
        bool names,
        IReadOnlyList<RuleTarget>? exclusions,
        IReadOnlyList<RuleTarget>? runtimeExclusions,
        List<VariableValue> into)
    {
        if (!IsExcluded(reportedAs, item.Key, exclusions) && !IsExcluded(reportedAs, item.Key, runtimeExclusions))
        {
            // The stored string itself, never a copy: the rules a value woke know it by reference
            // (Transactions.CandidateRules.Woke), and the per-value caches key on it.
            into.Add(new VariableValue(reportedAs, item.Key, names ? item.Key : item.Value));
        }
    }

    private static bool IsExcluded(VariableName variable, IReadOnlyList<RuleTarget>? exclusions)
    {
        if (exclusions is null)
        {
            return false;
        }
        for (var i = 0; i < exclusions.Count; i++)
        {
            if (exclusions[i].Variable == variable)
            {
                return true;
            }
        }
        return false;
    }

    private static bool IsExcluded(VariableName variable, string key, IReadOnlyList<RuleTarget>? exclusions)
    {
        if (exclusions is null)
        {
            return false;
        }
        for (var i = 0; i < exclusions.Count; i++)
        {
            var exclusion = exclusions[i];
            if (exclusion.Variable == variable && exclusion.SelectsKey(key))
            {
                return true;
            }
        }
        return false;
    }
}
