using Portcullis.Hosting;

namespace Portcullis.Limits;

/// <summary>
/// Keeps the <see cref="RateLimitTable"/> of the running config generation (and the one before it, for requests
/// that started just before a reload) and sweeps their idle buckets on a timer.
/// </summary>
internal sealed class RateLimitTables : IDisposable
{
    /// <summary>How often full buckets are forgotten. Short enough that a spraying flood is bounded by a few seconds of new addresses.</summary>
    public static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(5);

    private readonly Lock _lock = new();
    private readonly ITimer _sweeper;
    private volatile RateLimitTable? _current;
    private volatile RateLimitTable? _previous;

    public RateLimitTables(TimeProvider time)
    {
        _sweeper = time.CreateTimer(static state => ((RateLimitTables)state!).Sweep(), this, SweepInterval, SweepInterval);
    }

    /// <summary>The table for <paramref name="snapshot"/>, built on first use of a new generation.</summary>
    public RateLimitTable Get(GatewaySnapshot snapshot)
    {
        var current = _current;
        if (current?.Snapshot == snapshot)
        {
            return current;
        }
        var previous = _previous;
        if (previous?.Snapshot == snapshot)
        {
            return previous;
        }
        lock (_lock)
        {
            if (_current?.Snapshot == snapshot)
            {
                return _current;
            }
            var table = new RateLimitTable(snapshot, _current);
            _previous = _current;
            _current = table;
            return table;
        }
    }

    public void Sweep()
    {
        foreach (var table in new[] { _current, _previous })
        {
            foreach (var limiter in table?.Limiters ?? [])
            {
                limiter.Sweep();
            }
        }
    }

    public void Dispose() => _sweeper.Dispose();
}
