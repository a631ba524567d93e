using Portcullis.Waf.Rules;
using Portcullis.Waf.Variables;

namespace Portcullis.Waf.Transactions;

/// <summary>
/// The rules this transaction's values have woken (<see cref="LiteralDispatch"/>): a rule is marked when a value of a
/// stored list it reads holds one of its literals once transformed by its pipeline, or as collected. A rule not marked
/// has no value its operator could match, so <see cref="RuleEvaluator"/> passes it over without collecting its values.
/// <para>A part is scanned when a rule reading it is first asked about, and again after it changes (the body's
/// arguments arriving in phase 2). Marks are only ever added: a mark a changed part no longer justifies costs an
/// evaluation, never a miss.</para>
/// <para>The scans are <see cref="LiteralHits"/>' and the transformed values <see cref="TransformationCache"/>'s, so the
/// rules that are marked find them there. Pooled per thread.</para>
/// </summary>
internal sealed class CandidateRules
{
    /// <summary>
    /// A list this long wakes every rule reading it, which then take the way for long lists (unions from the parts, per-value
    /// scans: <see cref="SelectionLiterals"/>). Measured on the profile loop: scanning a JSON post's ~175 values through
    /// the ~37 stages of ARGS cost 4 % more than those did; a GET's and a form's short lists gained 17 and 23 %.
    /// </summary>
    internal const int LongPart = SelectionLiterals.CollectedFirstFrom;

    /// <summary>A value this long (a request body, a huge argument) wakes every rule reading its list: those rules scan
    /// it once each as before, instead of once per stage here whether or not one of them is asked. With
    /// <see cref="LongPart"/>, this bounds what one list costs here.</summary>
    internal const int LongValue = 1024;

    // Per thread, a few: transactions in flight on one thread (a POST waiting for its body between phases 1 and 2)
    // each hold one, and a new instance would start without the kept marks.
    private const int MaxPooled = 4;

    [ThreadStatic]
    private static Stack<CandidateRules>? t_pool;

    private LiteralDispatch _dispatch = null!;
    private ulong[] _marked = [];
    private int[] _versions = [];

    // The current value's output per stage, valid where the stamp is the current one.
    private string?[] _outputs = [];
    private int[] _outputStamps = [];
    private int _stamp;

    // The current value's outputs that scan differently from it and from each other.
    private string?[] _distinct = [];

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
            rules._versions = new int[dispatch.Parts.Length];
            rules._outputs = new string?[dispatch.StageCount];
            rules._outputStamps = new int[dispatch.StageCount];
            rules._distinct = new string?[dispatch.StageCount];
        }
        else
        {
            Array.Clear(rules._marked);
        }
        Array.Fill(rules._versions, -1);
        // Stamps start over with each transaction, so one never meets a stale one.
        Array.Clear(rules._outputStamps);
        rules._stamp = 0;
        return rules;
    }

    public void Return()
    {
        Array.Clear(_outputs);
        Array.Clear(_distinct);
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
        foreach (var part in _dispatch.RuleParts[candidate])
        {
            if (IsMarked(candidate))
            {
                // Its other parts are scanned when a rule needs them.
                return true;
            }
            var version = tx.Variables.VersionOf(_dispatch.Parts[part].Source);
            if (_versions[part] != version)
            {
                _versions[part] = version;
                Scan(tx, part);
            }
        }
        return IsMarked(candidate);
    }

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
        foreach (var item in items)
        {
            var value = source.Names ? item.Key : item.Value;
            if (value.Length >= LongValue)
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
        }
    }

    private void ScanValue(Transaction tx, string value, int part, ulong partBit)
    {
        var repeated = RepeatedValues.Current;
        var kept = repeated.MayBeKept(value) && repeated.Generation == _keptGeneration && repeated.IsKept(value);
        if (kept && _kept.TryGetValue(new KeptKey(value, part), out var range))
        {
            foreach (var candidate in _keptMarks.AsSpan(range.Start, range.Count))
            {
                _marked[candidate >> 6] |= 1UL << (candidate & 63);
            }
            return;
        }
        _recording = kept;
        _recorded.Clear();
        ScanStages(tx, value, part, partBit);
        _recording = false;
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

    private void ScanStages(Transaction tx, string value, int part, ulong partBit)
    {
        var scanner = tx.Rules.Literals!;
        var hits = tx.LiteralHitsFor(scanner);
        // As collected, for every stage: the output of a pipeline that leaves the value's characters alone (or only
        // lowercases them) holds the same literals, and otherwise this only adds marks.
        var found = hits.For(value, scanner, out var chars);
        Mark(found, stage: null, partBit);
        _stamp++;
        var distinct = 0;
        foreach (var stage in _dispatch.Stages[part])
        {
            if (stage.UnchangedBy is { } unchanged && chars.IsSubsetOf(unchanged.ScanMask))
            {
                continue;
            }
            var output = Output(tx, stage, value);
            if (ReferenceEquals(output, value) || ScansAlike(output, value))
            {
                continue;
            }
            // Most of a value's stages give one of a few outputs (a JSON post's ~1,500 came to ~230 distinct ones):
            // the first of its kind is scanned, the others take its scan.
            Mark(hits.For(FirstAlike(output, ref distinct), scanner, out _), stage.Id, partBit);
        }
    }

    /// <summary>The first of the current value's outputs that scans like <paramref name="output"/>, noting it when it is the first.</summary>
    private string FirstAlike(string output, ref int distinct)
    {
        for (var i = 0; i < distinct; i++)
        {
            if (ScansAlike(output, _distinct[i]!))
            {
                return _distinct[i]!;
            }
        }
        _distinct[distinct++] = output;
        return output;
    }

    /// <summary>True when the two strings are equal but for the case of ASCII letters, as the scanner reads them.</summary>
    private static bool ScansAlike(string a, string b) =>
        a.Length == b.Length && (string.Equals(a, b, StringComparison.Ordinal) || System.Text.Ascii.EqualsIgnoreCase(a, b));

    /// <summary>The value transformed by the stage's pipeline: one step from the previous stage's output, each computed once per value.</summary>
    private string Output(Transaction tx, LiteralDispatch.Stage stage, string value)
    {
        if (_outputStamps[stage.Id] == _stamp)
        {
            return _outputs[stage.Id]!;
        }
        var input = stage.Previous is { } previous ? Output(tx, previous, value) : value;
        var output = tx.Transformations.Apply(input, stage.Step);
        _outputs[stage.Id] = output;
        _outputStamps[stage.Id] = _stamp;
        return output;
    }

    /// <summary>Marks the rules <paramref name="found"/> wakes in a value of the part: any rule, or only those of one stage.</summary>
    private void Mark(ReadOnlySpan<int> found, int? stage, ulong partBit)
    {
        var byLiteral = _dispatch.ByLiteral;
        foreach (var id in found)
        {
            foreach (var entry in byLiteral[id])
            {
                if ((entry.Parts & partBit) != 0 && (stage is null || entry.Stage == stage))
                {
                    _marked[entry.Candidate >> 6] |= 1UL << (entry.Candidate & 63);
                    if (_recording)
                    {
                        _recorded.Add(entry.Candidate);
                    }
                }
            }
        }
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
