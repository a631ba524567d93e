using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Portcullis.Configuration;

namespace Portcullis.Limits;

/// <summary>
/// One rate limit (the gateway's, a site's or a route's) with a <see cref="TokenBucketRateLimiter"/> per client.
/// <para>
/// Partitioned here rather than with <c>PartitionedRateLimiter.Create</c>: that one takes a global lock on every
/// acquire and walks every partition on a 100 ms timer, while a lock-free dictionary read keeps a check well under
/// the 1 µs budget with 100k clients. Buckets do not replenish on a timer (<c>AutoReplenishment = false</c>): each
/// check first tops its bucket up by the time elapsed (the limiter's fill rate is continuous), so an idle client
/// costs no CPU at all.
/// </para>
/// <para>
/// Memory stays bounded under an address-spraying flood two ways. <see cref="Sweep"/> (every few seconds) drops
/// every bucket that has refilled completely: a fresh bucket starts full, so forgetting it changes no decision.
/// And at most <see cref="MaxClients"/> buckets exist; beyond that, new clients share one overflow bucket until a
/// sweep makes room, so a flood of fresh addresses is limited as one client instead of growing the table.
/// </para>
/// </summary>
#pragma warning disable CA1001 // The buckets replenish on demand (no timer): disposing them would free nothing, and a request racing a dispose would throw.
internal sealed class ClientRateLimiter
#pragma warning restore CA1001
{
    /// <summary>About 30 MB of buckets at most per limit (a bucket with its options is ~250 bytes, plus the table entry).</summary>
    public const int DefaultMaxClients = 100_000;

    private readonly ConcurrentDictionary<ClientKey, TokenBucketRateLimiter> _buckets = new();
    private readonly TokenBucketRateLimiterOptions _options;
    private readonly TokenBucketRateLimiter _overflow;
    private int _count;

    public ClientRateLimiter(string name, RateLimitConfig config, int maxClients = DefaultMaxClients)
    {
        Name = name;
        Config = config;
        MaxClients = maxClients;
        _options = new TokenBucketRateLimiterOptions
        {
            TokenLimit = config.Burst,
            TokensPerPeriod = 1,
            ReplenishmentPeriod = config.TokenInterval,
            QueueLimit = 0,
            AutoReplenishment = false,
        };
        _overflow = new TokenBucketRateLimiter(_options);
    }

    /// <summary>"rate:global", "rate:site:shop", "rate:route:shop:/api": what events and the access log call this limit.</summary>
    public string Name { get; }

    public RateLimitConfig Config { get; }

    public int MaxClients { get; }

    /// <summary>Buckets currently held (not counting the overflow bucket).</summary>
    public int Clients => Volatile.Read(ref _count);

    /// <summary>Takes one token from the client's bucket. Rejected: how long until the next token (at most one token interval).</summary>
    public RateLimitDecision TryAcquire(ClientKey client)
    {
        var bucket = BucketFor(client);
        bucket.TryReplenish();
        using var lease = bucket.AttemptAcquire(1);
        if (lease.IsAcquired)
        {
            return RateLimitDecision.Allowed;
        }
        return new RateLimitDecision(false, lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : Config.TokenInterval);
    }

    private TokenBucketRateLimiter BucketFor(ClientKey client)
    {
        if (_buckets.TryGetValue(client, out var bucket))
        {
            return bucket;
        }
        if (Volatile.Read(ref _count) >= MaxClients)
        {
            return _overflow;
        }
        bucket = new TokenBucketRateLimiter(_options);
        if (_buckets.TryAdd(client, bucket))
        {
            Interlocked.Increment(ref _count);
            return bucket;
        }
        return _buckets.TryGetValue(client, out var raced) ? raced : _overflow;
    }

    /// <summary>
    /// Forgets every client whose bucket is full again. A request racing the removal may take its token from the
    /// forgotten bucket, so that client gets at most one extra token: harmless. Returns how many were dropped.
    /// </summary>
    public int Sweep()
    {
        var dropped = 0;
        foreach (var (client, bucket) in _buckets)
        {
            bucket.TryReplenish();
            // IdleDuration is set exactly when the bucket is full and nobody waits.
            if (bucket.IdleDuration is not null && _buckets.TryRemove(KeyValuePair.Create(client, bucket)))
            {
                Interlocked.Decrement(ref _count);
                dropped++;
            }
        }
        _overflow.TryReplenish();
        return dropped;
    }
}

/// <summary>The answer of a rate-limit check.</summary>
internal readonly record struct RateLimitDecision(bool IsAllowed, TimeSpan RetryAfter)
{
    public static readonly RateLimitDecision Allowed = new(true, TimeSpan.Zero);
}
