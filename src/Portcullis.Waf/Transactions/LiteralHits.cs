using Portcullis.Waf.Operators.Prefilter;

namespace Portcullis.Waf.Transactions;

/// <summary>
/// Which of the rule set's prefilter literals each value of a transaction holds, scanned once per value object
/// (values are compared by reference: the rules of a family test the same collected or transformed strings).
/// <para>Kept as the list of literal ids found, not as a bit set per value: benign values hold a handful of the
/// ~3,800 literals, so a value costs a few ints instead of a 470-byte bit set, and testing or merging it touches
/// those few instead of every word (the bit sets' memory traffic was a fifth of a benign GET's time).</para>
/// <para>Bounded: after <see cref="MaxValues"/> values or <see cref="MaxIds"/> ids, further values are scanned on
/// every use instead of kept. Pooled per thread like the other per-transaction caches.</para>
/// <para>The scans of repeated header strings (<see cref="RepeatedValues"/>) outlive the transaction: the next request
/// with the same User-Agent finds them here (bounded by <see cref="MaxKeptIds"/> ids and the strings the thread keeps).</para>
/// </summary>
internal sealed class LiteralHits
{
    private const int MaxValues = 2048;
    private const int MaxIds = 64 * 1024;
    private const int MaxPooled = 4;
    private const int MaxKeptIds = 64 * 1024;

    // Per thread; a rule set has two scanners (request literals, response phrases) of different sizes, so a rented
    // instance is one whose scratch already fits, when the pool has one.
    [ThreadStatic]
    private static List<LiteralHits>? t_pool;

    private readonly IdentityMap<StringReference, Slot> _slots = new(256);
    private readonly IdentityMap<StringReference, Slot> _kept = new();
    private ulong[] _scratch = [];
    private int[] _ids = new int[256];
    private int _idCount;
    private ViewLiterals? _views;

    // The scans of repeated header strings (RepeatedValues), kept past the transaction for the scanner that made them
    // and while the thread keeps those strings.
    private int[] _keptIds = [];
    private int _keptIdCount;
    private LiteralScanner? _keptScanner;
    private int _keptGeneration;

    /// <summary>The unions of this transaction's stored lists of values, built from these scans.</summary>
    public ViewLiterals Views => _views ??= new ViewLiterals();

    public static LiteralHits Rent(LiteralScanner scanner)
    {
        LiteralHits? hits = null;
        if (t_pool is { Count: > 0 } pool)
        {
            var at = pool.Count - 1;
            for (var i = at; i >= 0; i--)
            {
                if (ReferenceEquals(pool[i]._keptScanner, scanner) || pool[i]._scratch.Length == scanner.Words)
                {
                    at = i;
                    break;
                }
            }
            hits = pool[at];
            pool.RemoveAt(at);
        }
        hits ??= new LiteralHits();
        if (hits._scratch.Length != scanner.Words)
        {
            hits._scratch = new ulong[scanner.Words];
        }
        var generation = RepeatedValues.Current.Generation;
        if (!ReferenceEquals(hits._keptScanner, scanner) || hits._keptGeneration != generation)
        {
            hits.DropKept();
            hits._keptScanner = scanner;
            hits._keptGeneration = generation;
        }
        return hits;
    }

    public void Return()
    {
        // No value may outlive its request but the kept header strings; the id storage stays for the next transaction
        // (bounded by MaxIds).
        _slots.Clear();
        _idCount = 0;
        _views?.Clear();
        var pool = t_pool ??= [];
        if (pool.Count < MaxPooled)
        {
            pool.Add(this);
        }
    }

    /// <summary>
    /// The ids of the literals <paramref name="value"/> holds, and exactly which characters (<paramref name="chars"/>), scanning
    /// it the first time it is asked about. The span is valid until the next call.
    /// </summary>
    public ReadOnlySpan<int> For(string value, LiteralScanner scanner, out AsciiChars chars)
    {
        if (_slots.TryGetValue(new StringReference(value), out var slot))
        {
            chars = slot.Chars;
            return _ids.AsSpan(slot.Start, slot.Count);
        }
        var repeated = RepeatedValues.Current;
        var mayBeKept = repeated.MayBeKept(value);
        if (mayBeKept && _kept.TryGetValue(new StringReference(value), out slot))
        {
            chars = slot.Chars;
            return _keptIds.AsSpan(slot.Start, slot.Count);
        }
        var start = _idCount;
        var end = start;
        chars = scanner.ScanIds(value, _scratch, ref _ids, ref end);
        var count = end - start;
        if (_kept.Count < RepeatedValues.MaxValues && _keptIdCount + count <= MaxKeptIds && ReferenceEquals(scanner, _keptScanner)
            && mayBeKept && repeated.IsKept(value))
        {
            if (_keptIdCount + count > _keptIds.Length)
            {
                Array.Resize(ref _keptIds, Math.Max(Math.Max(256, _keptIdCount + count), _keptIds.Length * 2));
            }
            _ids.AsSpan(start, count).CopyTo(_keptIds.AsSpan(_keptIdCount));
            _kept.Set(new StringReference(value), new Slot(_keptIdCount, count, chars));
            _keptIdCount += count;
            return _keptIds.AsSpan(_keptIdCount - count, count);
        }
        if (_slots.Count < MaxValues && start + count <= MaxIds)
        {
            _slots.Set(new StringReference(value), new Slot(start, count, chars));
            _idCount = start + count;
        }
        // Not kept: the ids sit past the kept ones and are overwritten by the next scan.
        return _ids.AsSpan(start, count);
    }

    private void DropKept()
    {
        _kept.Clear();
        _keptIdCount = 0;
    }

    private readonly record struct Slot(int Start, int Count, AsciiChars Chars);
}
