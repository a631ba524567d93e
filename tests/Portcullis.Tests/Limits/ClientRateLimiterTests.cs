using System.Net;
using Portcullis.Configuration;
using Portcullis.Limits;
using Portcullis.Tests.TestSupport;

namespace Portcullis.Tests.Limits;

public sealed class ClientRateLimiterTests
{
    private static ClientKey Client(int n) => ClientKey.From(new IPAddress(BitConverter.GetBytes(0x0A000000 + n)), 64);

    private static RateLimitConfig Rate(int requests, TimeSpan per, int burst) => new() { Requests = requests, Per = per, Burst = burst };

    [Fact]
    public void TryAcquire_BurstSpent_RejectsWithTheTimeToTheNextToken()
    {
        var limiter = new ClientRateLimiter("rate:test", Rate(6, TimeSpan.FromMinutes(1), 3));

        var allowed = Enumerable.Range(0, 3).Select(_ => limiter.TryAcquire(Client(1)).IsAllowed).ToList();
        var fourth = limiter.TryAcquire(Client(1));

        Assert.All(allowed, Assert.True);
        Assert.False(fourth.IsAllowed);
        // 6 per minute is one token every 10 s.
        Assert.InRange(fourth.RetryAfter, TimeSpan.FromSeconds(9), TimeSpan.FromSeconds(10));
        Assert.Equal(10, ClientLimitsMiddleware.RetryAfterSeconds(fourth.RetryAfter));
    }

    [Fact]
    public void TryAcquire_OneClientSpent_OtherClientsUntouched()
    {
        var limiter = new ClientRateLimiter("rate:test", Rate(1, TimeSpan.FromHours(1), 1));

        Assert.True(limiter.TryAcquire(Client(1)).IsAllowed);
        Assert.False(limiter.TryAcquire(Client(1)).IsAllowed);
        Assert.True(limiter.TryAcquire(Client(2)).IsAllowed);
    }

    [Fact]
    public async Task TryAcquire_AfterTheTokenInterval_AllowedAgain()
    {
        var limiter = new ClientRateLimiter("rate:test", Rate(20, TimeSpan.FromSeconds(1), 1));
        Assert.True(limiter.TryAcquire(Client(1)).IsAllowed);
        Assert.False(limiter.TryAcquire(Client(1)).IsAllowed);

        // One token every 50 ms, earned while nobody asks (no timer): the next check finds it.
        await Eventually.TrueAsync(() => limiter.TryAcquire(Client(1)).IsAllowed, "a token comes back", TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task Sweep_FullBuckets_AreForgottenAndBusyOnesKept()
    {
        var limiter = new ClientRateLimiter("rate:test", Rate(50, TimeSpan.FromSeconds(1), 1));
        for (var i = 0; i < 1000; i++)
        {
            limiter.TryAcquire(Client(i));
        }
        Assert.Equal(1000, limiter.Clients);

        // 20 ms per token: after that every bucket is full again and says nothing a fresh one would not.
        await Eventually.TrueAsync(() => limiter.Sweep() >= 0 && limiter.Clients == 0, "full buckets are dropped", TimeSpan.FromSeconds(5));

        var slow = new ClientRateLimiter("rate:slow", Rate(1, TimeSpan.FromHours(1), 2));
        slow.TryAcquire(Client(1));
        Assert.Equal(0, slow.Sweep());
        Assert.Equal(1, slow.Clients);
    }

    [Fact]
    public void TryAcquire_SprayingMoreClientsThanTheCap_TableStopsGrowingAndNewcomersShareOneBucket()
    {
        var limiter = new ClientRateLimiter("rate:test", Rate(1, TimeSpan.FromHours(1), 2), maxClients: 100);

        var firstHundred = Enumerable.Range(0, 100).Count(i => limiter.TryAcquire(Client(i)).IsAllowed);
        var overflow = Enumerable.Range(100, 50).Count(i => limiter.TryAcquire(Client(i)).IsAllowed);

        Assert.Equal(100, firstHundred);
        Assert.Equal(100, limiter.Clients);
        // The 50 newcomers together got one bucket's burst.
        Assert.Equal(2, overflow);
    }
}
