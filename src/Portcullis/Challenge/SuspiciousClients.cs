using System.Collections.Concurrent;

namespace Portcullis.Challenge;

/// <summary>
/// Clients something found suspicious, for a while: a rate limit they went over, later the detectors. Sites with
/// <c>challenge: suspicious</c> challenge them instead of serving them (and instead of blocking them outright).
/// Keys are whatever the flagger identifies clients by; the challenge looks them up as <see cref="ClientKey.Of"/>
/// (IPv4 address, IPv6 /64). Thread-safe; lookups are lock-free.
/// <para>
/// Bounded: at most <c>capacity</c> keys (default 100,000, a few MB). When a new key finds the set full, expired
/// entries are swept; if that frees less than a tenth, the tenth that expire soonest are dropped. So a flood of
/// flagged addresses (an IPv6 attacker has many /64s) costs an old flag its last minutes, never unbounded memory,
/// and the sweep's O(n) cost is paid at most once per tenth of the capacity.
/// </para>
/// </summary>
internal sealed class SuspiciousClients(TimeProvider time, int capacity = SuspiciousClients.DefaultCapacity)
{
    public const int DefaultCapacity = 100_000;

    private readonly ConcurrentDictionary<string, Entry> _flags = new(StringComparer.Ordinal);
    private readonly Lock _evictLock = new();
    private int _count;

    /// <summary>Keys currently held (expired ones count until swept).</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>
    /// Flags <paramref name="clientKey"/> for <paramref name="duration"/> from now, with a short reason for the logs
    /// ("rate_limit"). Flagging a flagged key again keeps the later expiry and the newest reason.
    /// </summary>
    public void Flag(string clientKey, string reason, TimeSpan duration)
    {
        ArgumentNullException.ThrowIfNull(clientKey);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);
        var until = time.GetUtcNow() + duration;
        var flag = new Entry(until, reason);
        while (true)
        {
            if (_flags.TryGetValue(clientKey, out var existing))
            {
                var merged = existing.Until >= until ? existing with { Reason = reason } : flag;
                if (_flags.TryUpdate(clientKey, merged, existing))
                {
                    return;
                }
                continue;
            }
            if (Volatile.Read(ref _count) >= capacity)
            {
                MakeRoom();
            }
            if (_flags.TryAdd(clientKey, flag))
            {
                Interlocked.Increment(ref _count);
                return;
            }
        }
    }

    public bool IsFlagged(string clientKey) => TryGetReason(clientKey, out _);

    /// <summary>Whether the key is flagged now, and why.</summary>
    public bool TryGetReason(string clientKey, out string reason)
    {
        if (_flags.TryGetValue(clientKey, out var flag) && flag.Until > time.GetUtcNow())
        {
            reason = flag.Reason;
            return true;
        }
        reason = "";
        return false;
    }

    /// <summary>Lifts a flag early (an operator's decision, or a test).</summary>
    public void Clear(string clientKey)
    {
        if (_flags.TryRemove(clientKey, out _))
        {
            Interlocked.Decrement(ref _count);
        }
    }

    private void MakeRoom()
    {
        lock (_evictLock)
        {
            if (Volatile.Read(ref _count) < capacity)
            {
                return;
            }
            var now = time.GetUtcNow();
            var freed = 0;
            foreach (var (key, flag) in _flags)
            {
                if (flag.Until <= now && _flags.TryRemove(new KeyValuePair<string, Entry>(key, flag)))
                {
                    Interlocked.Decrement(ref _count);
                    freed++;
                }
            }
            var tenth = Math.Max(1, capacity / 10);
            if (freed >= tenth)
            {
                return;
            }
            // ToArray is the dictionary's own locked snapshot; LINQ over it directly would copy through ICollection.CopyTo,
            // which throws when other threads add meanwhile.
            foreach (var (key, flag) in _flags.ToArray().OrderBy(kv => kv.Value.Until).Take(tenth - freed))
            {
                if (_flags.TryRemove(new KeyValuePair<string, Entry>(key, flag)))
                {
                    Interlocked.Decrement(ref _count);
                }
            }
        }
    }

    private readonly record struct Entry(DateTimeOffset Until, string Reason);
}
