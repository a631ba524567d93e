using Portcullis.Waf.Operators.Prefilter;
using Portcullis.Waf.Rules;
using Portcullis.Waf.Variables;

namespace Portcullis.Waf.Transactions;

/// <summary>
/// The rules this transaction's values have woken (<see cref="LiteralDispatch"/>): a rule is marked when a value of a
/// stored list it reads holds one of its literals (or characters meeting its requirement) once transformed by its
/// pipeline, or as collected. A rule not marked has no value its operator could match, so <see cref="RuleEvaluator"/>
/// passes it over without collecting its values; a marked one evaluates only the values that woke it
/// (<see cref="Woke"/>), up to <see cref="MaxWoken"/> of them.
/// <para>A part is scanned when a rule reading it is first asked about, and again after it changes (the body's
/// arguments arriving in phase 2). Marks are only ever added: a mark a changed part no longer justifies costs an
/// evaluation, never a miss.</para>
/// <para>The values as collected are scanned through <see cref="LiteralHits"/>, so the rules find those scans there. The
/// stages' outputs are computed here, a step at a time and only where the input holds a character the step acts on,
/// and are not kept for the rules: a woken rule transforms its few values again. Pooled per thread.</para>
/// </summary>
internal sealed partial class CandidateRules
{
    /// <summary>
    /// A list this long wakes every rule reading it, which then take the way for long lists (unions from the parts, per-value
    /// scans: <see cref="SelectionLiterals"/>): a bound on what one list costs here, past what benign traffic sends
    /// (ARGS stops at SecArgumentsLimit, 1,000 by default). A JSON post's ~175 values are scanned value by value.
    /// </summary>
    internal const int LongPart = 512;

    /// <summary>A value this long (a request body, a huge argument) wakes every rule reading its list: those rules scan
    /// it once each as before, instead of once per stage here whether or not one of them is asked. With
    /// <see cref="LongPart"/>, this bounds what one list costs here.</summary>
    internal const int LongValue = 1024;

    /// <summary>A list whose values come to this many characters wakes every rule reading it, like <see cref="LongPart"/>:
    /// each character may go through every stage of the list here, rules asked or not.</summary>
    internal const int LongPartChars = 32 * 1024;

    // Per thread, a few: transactions in flight on one thread (a POST waiting for its body between phases 1 and 2)
    // each hold one, and a new instance would start without the kept marks.
    private const int MaxPooled = 4;

    [ThreadStatic]
    private static Stack<CandidateRules>? t_pool;

    private LiteralDispatch _dispatch = null!;
    private ulong[] _marked = [];

    // Which values woke each marked candidate (MaxWoken slots per candidate, by reference), or a bit in _allWoken when
    // more did, its part was too long to scan or the value too long: then every value it selects is evaluated.
    private const int MaxWoken = 32;
    private ulong[] _allWoken = [];
    private string?[] _woken = [];
    private int[] _wokenCount = [];
    private string _value = "";
    private int[] _versions = [];

    // The parts known current (a bit per part) while the transaction's stable variables stay at _partsChanges changes
    // (VariableStore.StableChanges, which every part's source counts in): a rule whose parts are all among them is
    // answered with one bit test, without a look at each part's version (~300 rules asked per request).
    private ulong _currentParts;
    private int _partsChanges;

    // What each repeated header string (RepeatedValues) marked, kept past the transaction for the rule set and the
    // generation of kept strings it was made with: a browser's headers wake nothing, request after request, and are
    // looked up instead of scanned through their ~16 stages again.
    private const int MaxKept = 4096;
    private const int MaxKeptMarks = 64 * 1024;
    private readonly IdentityMap<KeptKey, (int Start, int Count)> _kept = new();
    private int[] _keptMarks = [];
    private int _keptMarkCount;
    private int _keptGeneration;
    private readonly List<int> _recorded = [];
    private bool _recording;

    public static CandidateRules Rent(LiteralDispatch dispatch)
    {
        var rules = t_pool is { Count: > 0 } pool ? pool.Pop() : new CandidateRules();
        var generation = RepeatedValues.Current.Generation;
        if (!ReferenceEquals(rules._dispatch, dispatch) || rules._keptGeneration != generation)
        {
            rules._kept.Clear();
            rules._keptMarkCount = 0;
            rules._keptGeneration = generation;
        }
        if (!ReferenceEquals(rules._dispatch, dispatch))
        {
            rules._dispatch = dispatch;
            rules._marked = new ulong[(dispatch.CandidateCount + 63) / 64];
            rules._allWoken = new ulong[(dispatch.CandidateCount + 63) / 64];
            rules._woken = new string?[dispatch.CandidateCount * MaxWoken];
            rules._wokenCount = new int[dispatch.CandidateCount];
            rules._versions = new int[dispatch.Parts.Length];
            rules._outputs = new int[dispatch.StageCount];
            rules._strings = new string?[dispatch.StageCount];
            rules._outputChars = new AsciiChars[dispatch.StageCount];
            rules._outputScan = new int[dispatch.StageCount];
            rules._outputStamps = new int[dispatch.StageCount];
            rules._distinct = new string?[dispatch.StageCount];
            rules._distinctIds = new (int, int)[dispatch.StageCount];
            rules._distinctChars = new AsciiChars[dispatch.StageCount];
            rules._stageWords = (dispatch.StageCount + 63) / 64;
            rules._distinctStages = new ulong[dispatch.StageCount * rules._stageWords];
        }
        else
        {
            Array.Clear(rules._marked);
            Array.Clear(rules._allWoken);
            Array.Clear(rules._wokenCount);
        }
        Array.Fill(rules._versions, -1);
        rules._currentParts = 0;
        rules._partsChanges = -1;
        // Stamps start over with each transaction, so one never meets a stale one.
        Array.Clear(rules._outputStamps);
        rules._stamp = 0;
        return rules;
    }

    public void Return()
    {
        Array.Clear(_strings);
        Array.Clear(_distinct);
        for (var candidate = 0; candidate < _wokenCount.Length; candidate++)
        {
            if (_wokenCount[candidate] > 0)
            {
                Array.Clear(_woken, candidate * MaxWoken, _wokenCount[candidate]);
            }
        }
        _value = "";
        var pool = t_pool ??= new Stack<CandidateRules>();
        if (pool.Count < MaxPooled)
        {
            pool.Push(this);
        }
    }

    /// <summary>False when no value <paramref name="rule"/> may select holds one of its literals once transformed.</summary>
    public bool MayMatch(Transaction tx, Rule rule)
    {
        var candidate = rule.Candidate;
        var changes = tx.Variables.StableChanges;
        if (changes != _partsChanges)
        {
            _partsChanges = changes;
            _currentParts = 0;
        }
        var parts = _dispatch.RulePartBits[candidate];
        if ((parts & ~_currentParts) != 0)
        {
            // Every part, even once the rule is marked: which values woke it must be known from all of them.
            foreach (var part in _dispatch.RuleParts[candidate])
            {
                var version = tx.Variables.VersionOf(_dispatch.Parts[part].Source);
                if (_versions[part] != version)
                {
                    _versions[part] = version;
                    Scan(tx, part);
                }
            }
            _currentParts |= parts;
        }
        return IsMarked(candidate);
    }

    /// <summary>
    /// True when <paramref name="value"/> (a value the rule selects) may be one that woke it (<see cref="MayMatch"/>):
    /// it is among those that did, or so many did (or a list was too long to scan) that they were not kept. A value
    /// that did not wake the rule holds none of its literals once transformed, so its operator is false for it.
    /// </summary>
    public bool Woke(Rule rule, string value)
    {
        var candidate = rule.Candidate;
        if ((_allWoken[candidate >> 6] & (1UL << (candidate & 63))) != 0)
        {
            return true;
        }
        foreach (var woken in _woken.AsSpan(candidate * MaxWoken, _wokenCount[candidate]))
        {
            if (ReferenceEquals(woken, value))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>True when the values that woke the rule are known one by one (<see cref="Woke"/>).</summary>
    public bool KnowsWoken(Rule rule) => (_allWoken[rule.Candidate >> 6] & (1UL << (rule.Candidate & 63))) == 0;

    private bool IsMarked(int candidate) => (_marked[candidate >> 6] & (1UL << (candidate & 63))) != 0;

    /// <summary>Marks the rules woken by the values of one part, as collected and after each of the part's stages.</summary>
    private void Scan(Transaction tx, int part)
    {
        var source = _dispatch.Parts[part];
        var partBit = 1UL << part;
        if (source.IsSingle)
        {
            var single = tx.Variables.Get(source.Source);
            if (single is { Length: >= LongValue })
            {
                WakeReaders(part);
            }
            else if (single is not null)
            {
                ScanValue(tx, single, part, partBit);
            }
            return;
        }
        var items = tx.Variables.ItemsOf(source.Source);
        if (items.Length >= LongPart)
        {
            WakeReaders(part);
            return;
        }
        var chars = 0;
        foreach (var item in items)
        {
            var value = source.Names ? item.Key : item.Value;
            chars += value.Length;
            if (value.Length >= LongValue || chars >= LongPartChars)
            {
                // Marks are only added: the values scanned before this one changed nothing that matters now.
                WakeReaders(part);
                return;
            }
            ScanValue(tx, value, part, partBit);
        }
    }

    private void WakeReaders(int part)
    {
        var readers = _dispatch.Readers[part];
        for (var i = 0; i < readers.Length; i++)
        {
            _marked[i] |= readers[i];
            _allWoken[i] |= readers[i];
        }
    }

    private void ScanValue(Transaction tx, string value, int part, ulong partBit)
    {
        var repeated = RepeatedValues.Current;
        var kept = repeated.MayBeKept(value) && repeated.Generation == _keptGeneration && repeated.IsKept(value);
        if (kept && _kept.TryGetValue(new KeptKey(value, part), out var range))
        {
            _value = value;
            foreach (var candidate in _keptMarks.AsSpan(range.Start, range.Count))
            {
                Wake(candidate);
            }
            return;
        }
        _value = value;
        _recording = kept;
        _recorded.Clear();
        ScanStages(tx, value, part, partBit);
        _recording = false;
        if (kept && _recorded.Count > 1)
        {
            // A rule is woken once per literal, stage and character group: keep each once.
            _recorded.Sort();
            var distinct = 1;
            for (var i = 1; i < _recorded.Count; i++)
            {
                if (_recorded[i] != _recorded[distinct - 1])
                {
                    _recorded[distinct++] = _recorded[i];
                }
            }
            _recorded.RemoveRange(distinct, _recorded.Count - distinct);
        }
        if (kept && _kept.Count < MaxKept && _keptMarkCount + _recorded.Count <= MaxKeptMarks)
        {
            if (_keptMarkCount + _recorded.Count > _keptMarks.Length)
            {
                Array.Resize(ref _keptMarks, Math.Max(256, Math.Max(_keptMarkCount + _recorded.Count, _keptMarks.Length * 2)));
            }
            _recorded.CopyTo(_keptMarks, _keptMarkCount);
            _kept.Set(new KeptKey(value, part), (_keptMarkCount, _recorded.Count));
            _keptMarkCount += _recorded.Count;
        }
    }

    /// <summary>Marks the rules <paramref name="found"/> wakes in a value of the part with <paramref name="chars"/>
    /// (folded): any rule (no <paramref name="stages"/>), or only those whose stage is in that set.</summary>
    private void Mark(ReadOnlySpan<int> found, ReadOnlySpan<ulong> stages, ulong partBit, CharMask chars)
    {
        var anyStage = stages.IsEmpty;
        var byLiteral = anyStage ? _dispatch.ByLiteralAnyStage : _dispatch.ByLiteral;
        foreach (var id in found)
        {
            foreach (var entry in byLiteral[id])
            {
                if ((entry.Parts & partBit) == 0
                    || !(anyStage || (entry.Stage >= 0 && (stages[entry.Stage >> 6] & (1UL << (entry.Stage & 63))) != 0))
                    || !entry.Admits(chars))
                {
                    continue;
                }
                WakeAndRecord(entry.Candidate);
            }
        }
    }

    /// <summary>True when the characters may meet one of the part's requirements (<see cref="LiteralDispatch.CharGates"/>).</summary>
    private static bool MeetsGate(AsciiChars chars, CharMask gate) => chars.HasOther || chars.Folded.Meets(gate);

    /// <summary>Marks the rules reading the part whose requirement <paramref name="chars"/> (folded) meet.</summary>
    private void MarkByChars(LiteralDispatch.CharGroup[] groups, CharMask chars)
    {
        foreach (ref readonly var group in groups.AsSpan())
        {
            if (group.MayMatch(chars))
            {
                foreach (var candidate in group.Candidates)
                {
                    WakeAndRecord(candidate);
                }
            }
        }
    }

    /// <summary>Marks the rules reading the part after one of <paramref name="stages"/> whose requirement
    /// <paramref name="chars"/> (folded) meet.</summary>
    private void MarkByChars((int Candidate, CharRequirement Chars)[]?[] byStage, CharMask chars, ReadOnlySpan<ulong> stages)
    {
        for (var word = 0; word < stages.Length; word++)
        {
            for (var bits = stages[word]; bits != 0; bits &= bits - 1)
            {
                if (byStage[(word << 6) + System.Numerics.BitOperations.TrailingZeroCount(bits)] is not { } entries)
                {
                    continue;
                }
                foreach (var (candidate, requirement) in entries)
                {
                    if (requirement.MayMatch(chars))
                    {
                        WakeAndRecord(candidate);
                    }
                }
            }
        }
    }

    private void WakeAndRecord(int candidate)
    {
        Wake(candidate);
        if (_recording)
        {
            _recorded.Add(candidate);
        }
    }

    /// <summary>Marks the candidate as woken by the current value.</summary>
    private void Wake(int candidate)
    {
        var bit = 1UL << (candidate & 63);
        _marked[candidate >> 6] |= bit;
        if ((_allWoken[candidate >> 6] & bit) != 0)
        {
            return;
        }
        var count = _wokenCount[candidate];
        var at = candidate * MaxWoken;
        if (count > 0 && ReferenceEquals(_woken[at + count - 1], _value))
        {
            // Another literal or stage of the same value.
            return;
        }
        if (count == MaxWoken)
        {
            _allWoken[candidate >> 6] |= bit;
            return;
        }
        _woken[at + count] = _value;
        _wokenCount[candidate] = count + 1;
    }

    private readonly struct KeptKey(string value, int part) : IIdentityKey<KeptKey>
    {
        private readonly string _value = value;
        private readonly int _part = part;

        public bool IsEmpty => _value is null;

        public static int Hash(KeptKey key) => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(key._value) ^ (key._part * 0x2F0B3);

        public bool Same(KeptKey other) => ReferenceEquals(_value, other._value) && _part == other._part;
    }
}
