using System.Collections.Concurrent;

namespace Portcullis.Limits;

/// <summary>
/// How many of something (open connections, requests in flight) each client holds right now. A client's entry
/// exists only while its count is above zero, so the table never holds more entries than there are open
/// connections or requests: it cannot grow under a flood of distinct addresses.
/// </summary>
internal sealed class ClientCounters
{
    private readonly ConcurrentDictionary<ClientKey, Counter> _counters = new();

    /// <summary>Clients holding at least one (for tests and diagnostics).</summary>
    public int Clients => _counters.Count;

    /// <summary>Counts one more for <paramref name="client"/> unless it already holds <paramref name="max"/>; the counter is what <see cref="Leave"/> needs.</summary>
    public bool TryEnter(ClientKey client, int max, out Counter counter)
    {
        while (true)
        {
            counter = _counters.GetOrAdd(client, static _ => new Counter());
            lock (counter)
            {
                if (counter.Retired)
                {
                    // Emptied and removed between GetOrAdd and the lock: take the next one.
                    continue;
                }
                if (counter.Count >= max)
                {
                    return false;
                }
                counter.Count++;
                return true;
            }
        }
    }

    public void Leave(ClientKey client, Counter counter)
    {
        lock (counter)
        {
            if (--counter.Count == 0)
            {
                counter.Retired = true;
                _counters.TryRemove(KeyValuePair.Create(client, counter));
            }
        }
    }

    /// <summary>One client's count; also remembers when its refusals were last reported, so a flood is logged once per interval.</summary>
    internal sealed class Counter
    {
        public int Count;
        public bool Retired;
        public long LastReported = long.MinValue;
        public int RefusedSinceReport;
    }
}
