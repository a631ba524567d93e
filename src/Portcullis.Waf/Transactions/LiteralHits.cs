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
/// </summary>
internal sealed class LiteralHits
{
    private const int MaxValues = 2048;
    private const int MaxIds = 64 * 1024;
    private const int MaxPooled = 4;

    // Per thread; a rule set has two scanners (request literals, response phrases) of different sizes, so a rented
    // instance is one whose scratch already fits, when the pool has one.
    [ThreadStatic]
    private static List<LiteralHits>? t_pool;

    private readonly Dictionary<Reference, (int Start, int Count, AsciiChars Chars)> _slots = [];
    private ulong[] _scratch = [];
    private int[] _ids = new int[256];
    private int _idCount;
    private ViewLiterals? _views;

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
                if (pool[i]._scratch.Length == scanner.Words)
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
        return hits;
    }

    public void Return()
    {
        // No value may outlive its request; the id storage stays for the next transaction (bounded by MaxIds).
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
        if (_slots.TryGetValue(new Reference(value), out var slot))
        {
            chars = slot.Chars;
            return _ids.AsSpan(slot.Start, slot.Count);
        }
        // The scratch bit set is all zero between scans: clearing the bits of the ids found restores it.
        var bits = _scratch.AsSpan();
        var start = _idCount;
        var end = start;
        chars = scanner.Scan(value, bits, ref _ids, ref end);
        var count = end - start;
        foreach (var id in _ids.AsSpan(start, count))
        {
            bits[id >> 6] = 0;
        }
        if (_slots.Count < MaxValues && start + count <= MaxIds)
        {
            _slots[new Reference(value)] = (start, count, chars);
            _idCount = start + count;
        }
        // Not kept: the ids sit past the kept ones and are overwritten by the next scan.
        return _ids.AsSpan(start, count);
    }

    /// <summary>A value compared by reference, as a struct key: the dictionary calls its equality directly instead of
    /// through a comparer object (the lookup runs for every value of every union).</summary>
    private readonly struct Reference(string value) : IEquatable<Reference>
    {
        private readonly string _value = value;

        public bool Equals(Reference other) => ReferenceEquals(_value, other._value);

        public override bool Equals(object? obj) => obj is Reference other && Equals(other);

        public override int GetHashCode() => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(_value);
    }
}
