using Portcullis.Waf.Operators.Prefilter;

namespace Portcullis.Waf.Transactions;

/// <summary>
/// Which of the rule set's prefilter literals each value of a transaction holds, scanned once per value object
/// (values are compared by reference: the rules of a family test the same collected or transformed strings). Bounded:
/// after <see cref="MaxValues"/> values, further ones are scanned on every use instead of kept. Pooled per thread like
/// the other per-transaction caches.
/// </summary>
internal sealed class LiteralHits
{
    private const int MaxValues = 2048;
    // Few transactions run at once on one thread; each pooled table may hold up to MaxValues bit sets (~1 MB with CRS).
    private const int MaxPooled = 4;

    [ThreadStatic]
    private static Stack<LiteralHits>? t_pool;

    private readonly Dictionary<string, int> _slots = new(ReferenceEqualityComparer.Instance);
    private ulong[] _bits = [];
    private ulong[] _scratch = [];
    private int _words;

    public static LiteralHits Rent(LiteralScanner scanner)
    {
        var hits = t_pool is { Count: > 0 } pool ? pool.Pop() : new LiteralHits();
        hits._words = scanner.Words;
        if (hits._scratch.Length < hits._words)
        {
            hits._scratch = new ulong[hits._words];
            hits._bits = new ulong[hits._words * 64];
        }
        return hits;
    }

    public void Return()
    {
        // No value may outlive its request. The bit sets stay allocated for the next transaction (their size is bounded
        // by MaxValues): a JSON body with hundreds of values would otherwise regrow them on every request.
        _slots.Clear();
        var pool = t_pool ??= new Stack<LiteralHits>();
        if (pool.Count < MaxPooled)
        {
            pool.Push(this);
        }
    }

    /// <summary>The literal bits of <paramref name="value"/>, scanning it the first time it is asked about.</summary>
    public ReadOnlySpan<ulong> For(string value, LiteralScanner scanner)
    {
        if (_slots.TryGetValue(value, out var slot))
        {
            return _bits.AsSpan(slot * _words, _words);
        }
        Span<ulong> bits;
        if (_slots.Count < MaxValues)
        {
            slot = _slots.Count;
            if ((slot + 1) * _words > _bits.Length)
            {
                Array.Resize(ref _bits, _bits.Length * 2);
            }
            _slots[value] = slot;
            bits = _bits.AsSpan(slot * _words, _words);
        }
        else
        {
            bits = _scratch.AsSpan(0, _words);
        }
        bits.Clear();
        scanner.Scan(value, bits);
        return bits;
    }
}
