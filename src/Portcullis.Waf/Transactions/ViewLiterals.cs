using Portcullis.Waf.Operators.Prefilter;
using Portcullis.Waf.Transformations;
using Portcullis.Waf.Variables;

namespace Portcullis.Waf.Transactions;

/// <summary>
/// The prefilter literals each stored list of values (a <see cref="ValuePart"/>: ARGS_GET's values, REQUEST_COOKIES'
/// keys, REQUEST_FILENAME) holds once a pipeline has transformed it, kept per transaction as the distinct literal ids
/// found and the characters. A target set that reads whole parts (<see cref="TargetSet.Parts"/>) builds its union from
/// these (<see cref="SelectionLiterals"/>): CRS reads ARGS through ~20 different target lists, so a value was visited
/// once per list and pipeline, and is now visited once per pipeline.
/// <para>Bounded like <see cref="LiteralHits"/>: past <see cref="MaxIds"/> ids a part's union is not kept, and the
/// caller computes the exact union of its selection instead.</para>
/// </summary>
internal sealed class ViewLiterals
{
    private const int MaxIds = 64 * 1024;

    /// <summary>The key of the union of a part's values as collected: a part of
    /// <see cref="SelectionLiterals.CollectedFirstFrom"/> values or more is scanned that way first, as a long selection is.</summary>
    private static readonly object Collected = new();

    private readonly PartState?[] _parts = new PartState?[ValuePart.IdCount];
    private readonly List<PartState> _used = [];
    private int[] _ids = new int[1024];
    private int _idCount;

    // All zero between unions: which ids the union being built already holds.
    private ulong[] _seen = [];

    /// <summary>Forgets every union (the storage is kept for the next transaction).</summary>
    public void Clear()
    {
        foreach (var state in _used)
        {
            state.Entries.Clear();
            state.Version = -1;
        }
        _used.Clear();
        _idCount = 0;
    }

    /// <summary>
    /// The literal ids (distinct) and the characters the values of <paramref name="part"/> hold once transformed by
    /// <paramref name="pipeline"/>, or a superset of them; false when the part holds too many to keep (then nothing is
    /// known). The span is valid until the transaction ends.
    /// </summary>
    public bool TryUnion(Transaction tx, ValuePart part, Transformation[] pipeline, UnchangedChars? unchangedBy, LiteralScanner scanner, out ReadOnlySpan<int> ids, out AsciiChars chars)
    {
        if (part.IsSingle ? tx.Variables.Get(part.Source) is null : tx.Variables.ItemsOf(part.Source).IsEmpty)
        {
            // ARGS_POST of a GET, XML of anything but XML: most parts a set lists are empty.
            ids = default;
            chars = default;
            return true;
        }
        var state = StateOf(tx, part);
        var entry = state.Find(pipeline) ?? Build(tx, state, part, pipeline, unchangedBy, scanner);
        ids = entry.Count >= 0 ? _ids.AsSpan(entry.Start, entry.Count) : default;
        chars = entry.Chars;
        return entry.Count >= 0;
    }

    private PartState StateOf(Transaction tx, ValuePart part)
    {
        var state = _parts[part.Id] ??= new PartState();
        var version = tx.Variables.VersionOf(part.Source);
        if (state.Version != version)
        {
            if (state.Version == -1)
            {
                _used.Add(state);
            }
            state.Entries.Clear();
            state.Version = version;
        }
        return state;
    }

    private Entry Build(Transaction tx, PartState state, ValuePart part, Transformation[] pipeline, UnchangedChars? unchangedBy, LiteralScanner scanner)
    {
        var hits = tx.LiteralHitsFor(scanner);
        if (_seen.Length != scanner.Words)
        {
            _seen = new ulong[scanner.Words];
        }
        if (part.IsSingle)
        {
            var start = _idCount;
            var value = tx.Variables.Get(part.Source);
            var chars = default(AsciiChars);
            var kept = value is null || Add(hits.For(TransformationPipeline.Apply(tx, pipeline, unchangedBy, value), scanner, out chars));
            return state.Add(pipeline, Finish(start, kept), chars);
        }
        var items = tx.Variables.ItemsOf(part.Source);
        return unchangedBy is not null && items.Length >= SelectionLiterals.CollectedFirstFrom
            ? BuildOverCollected(tx, state, part, pipeline, unchangedBy, scanner, hits)
            : BuildEach(tx, state, part, pipeline, unchangedBy, scanner, hits);
    }

    private Entry BuildEach(Transaction tx, PartState state, ValuePart part, Transformation[] pipeline, UnchangedChars? unchangedBy, LiteralScanner scanner, LiteralHits hits)
    {
        var start = _idCount;
        var all = default(AsciiChars);
        var kept = true;
        foreach (var item in tx.Variables.ItemsOf(part.Source))
        {
            var value = part.Names ? item.Key : item.Value;
            kept = Add(hits.For(TransformationPipeline.Apply(tx, pipeline, unchangedBy, value), scanner, out var chars));
            if (!kept)
            {
                break;
            }
            all = all.Or(chars);
        }
        return state.Add(pipeline, Finish(start, kept), all);
    }

    /// <summary>
    /// The union of the values as collected, plus the literals of each value the pipeline may change other than by
    /// lowercasing it (<see cref="UnchangedChars.ScanMask"/>): a superset of the exact union (see
    /// <see cref="SelectionLiterals"/>), for a part of a long list (a JSON body's ~175 names and values).
    /// </summary>
    private Entry BuildOverCollected(Transaction tx, PartState state, ValuePart part, Transformation[] pipeline, UnchangedChars unchangedBy, LiteralScanner scanner, LiteralHits hits)
    {
        var collected = state.Find(Collected) ?? BuildCollected(tx, state, part, scanner, hits);
        var start = _idCount;
        if (collected.Count < 0 || !Add(_ids.AsSpan(collected.Start, collected.Count)))
        {
            return state.Add(pipeline, Finish(start, kept: false), default);
        }
        var all = collected.Chars;
        var items = tx.Variables.ItemsOf(part.Source);
        var itemChars = state.ItemChars;
        for (var i = 0; i < items.Length; i++)
        {
            if (itemChars[i].IsSubsetOf(unchangedBy.ScanMask))
            {
                continue;
            }
            var value = part.Names ? items[i].Key : items[i].Value;
            if (!Add(hits.For(TransformationPipeline.Apply(tx, pipeline, unchangedBy, value), scanner, out var changed)))
            {
                return state.Add(pipeline, Finish(start, kept: false), default);
            }
            all = all.Or(changed);
        }
        return state.Add(pipeline, Finish(start, kept: true), all);
    }

    /// <summary>The union of the values as collected, noting each value's characters in <see cref="PartState.ItemChars"/>.</summary>
    private Entry BuildCollected(Transaction tx, PartState state, ValuePart part, LiteralScanner scanner, LiteralHits hits)
    {
        var items = tx.Variables.ItemsOf(part.Source);
        if (state.ItemChars.Length < items.Length)
        {
            state.ItemChars = new AsciiChars[Math.Max(items.Length, state.ItemChars.Length * 2)];
        }
        var start = _idCount;
        var all = default(AsciiChars);
        var kept = true;
        for (var i = 0; i < items.Length && kept; i++)
        {
            kept = Add(hits.For(part.Names ? items[i].Key : items[i].Value, scanner, out state.ItemChars[i]));
            all = all.Or(state.ItemChars[i]);
        }
        return state.Add(Collected, Finish(start, kept), all);
    }

    /// <summary>Appends the ids not yet in the union being built; false once <see cref="MaxIds"/> is reached.</summary>
    private bool Add(ReadOnlySpan<int> found)
    {
        foreach (var id in found)
        {
            ref var word = ref _seen[id >> 6];
            var bit = 1UL << (id & 63);
            if ((word & bit) != 0)
            {
                continue;
            }
            if (_idCount == _ids.Length)
            {
                if (_idCount >= MaxIds)
                {
                    return false;
                }
                Array.Resize(ref _ids, _ids.Length * 2);
            }
            word |= bit;
            _ids[_idCount++] = id;
        }
        return true;
    }

    /// <summary>Clears the marks of the union built from <paramref name="start"/>; its range, or a count of -1 when it was not kept.</summary>
    private (int Start, int Count) Finish(int start, bool kept)
    {
        foreach (var id in _ids.AsSpan(start, _idCount - start))
        {
            _seen[id >> 6] = 0;
        }
        if (kept)
        {
            return (start, _idCount - start);
        }
        _idCount = start;
        return (start, -1);
    }

    private readonly record struct Entry(object Key, int Start, int Count, AsciiChars Chars);

    /// <summary>What is known of one part in this transaction, valid while its source's version is <see cref="Version"/>.</summary>
    private sealed class PartState
    {
        public int Version { get; set; } = -1;

        public List<Entry> Entries { get; } = [];

        /// <summary>Each value's characters as collected, filled with the <see cref="Collected"/> union.</summary>
        public AsciiChars[] ItemChars { get; set; } = [];

        public Entry? Find(object key)
        {
            // By reference: an entry is 48 bytes, and a part meets ~25 pipelines.
            foreach (ref readonly var entry in System.Runtime.InteropServices.CollectionsMarshal.AsSpan(Entries))
            {
                if (ReferenceEquals(entry.Key, key))
                {
                    return entry;
                }
            }
            return null;
        }

        public Entry Add(object key, (int Start, int Count) range, AsciiChars chars)
        {
            var entry = new Entry(key, range.Start, range.Count, chars);
            Entries.Add(entry);
            return entry;
        }
    }
}
