using Portcullis.Challenge;
using Portcullis.Tests.TestSupport;

namespace Portcullis.Tests.Challenge;

public sealed class SuspiciousClientsTests
{
    private readonly ManualTimeProvider _clock = new();

    [Fact]
    public void IsFlagged_UntilDurationPasses_ThenNot()
    {
        var set = new SuspiciousClients(_clock);
        set.Flag("203.0.113.7", "rate_limit", TimeSpan.FromMinutes(5));

        var during = set.IsFlagged("203.0.113.7");
        var other = set.IsFlagged("203.0.113.8");
        _clock.Advance(TimeSpan.FromMinutes(5));

        Assert.True(during);
        Assert.False(other);
        Assert.False(set.IsFlagged("203.0.113.7"));
    }

    [Fact]
    public void Flag_AgainShorter_KeepsLaterExpiryAndNewestReason()
    {
        var set = new SuspiciousClients(_clock);
        set.Flag("k", "rate_limit", TimeSpan.FromMinutes(10));
        set.Flag("k", "scanner", TimeSpan.FromMinutes(1));
        _clock.Advance(TimeSpan.FromMinutes(5));

        Assert.True(set.TryGetReason("k", out var reason));
        Assert.Equal("scanner", reason);
        Assert.Equal(1, set.Count);
    }

    [Fact]
    public void Flag_OverCapacity_ExpiredSweptFirstThenSoonestExpiringDropped()
    {
        var set = new SuspiciousClients(_clock, capacity: 100);
        for (var i = 0; i < 50; i++)
        {
            set.Flag($"short-{i}", "r", TimeSpan.FromMinutes(1));
        }
        for (var i = 0; i < 50; i++)
        {
            set.Flag($"long-{i}", "r", TimeSpan.FromHours(1) + TimeSpan.FromSeconds(i));
        }
        _clock.Advance(TimeSpan.FromMinutes(2));

        // Full: the 50 expired ones go, so nothing alive is lost.
        set.Flag("new-0", "r", TimeSpan.FromHours(2));
        Assert.Equal(51, set.Count);
        Assert.All(Enumerable.Range(0, 50), i => Assert.True(set.IsFlagged($"long-{i}")));

        for (var i = 1; i < 50; i++)
        {
            set.Flag($"new-{i}", "r", TimeSpan.FromHours(2));
        }
        // Full of live flags: a tenth, the soonest to expire (long-0 .. long-9), makes room.
        set.Flag("newest", "r", TimeSpan.FromHours(2));

        Assert.True(set.Count <= 100);
        Assert.True(set.IsFlagged("newest"));
        Assert.False(set.IsFlagged("long-0"));
        Assert.True(set.IsFlagged("long-49"));
        Assert.True(set.IsFlagged("new-0"));
    }

    [Fact]
    public async Task Flag_ManyThreads_CountStaysBounded()
    {
        var set = new SuspiciousClients(_clock, capacity: 1000);

        await Task.WhenAll(Enumerable.Range(0, 4).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < 5000; i++)
            {
                set.Flag($"{t}-{i}", "r", TimeSpan.FromMinutes(1));
                set.IsFlagged($"{t}-{i / 2}");
            }
        })));

        // Racing adders can overshoot by at most one entry each.
        Assert.InRange(set.Count, 1, 1004);
    }
}
