using Portcullis.Challenge;

namespace Portcullis.Tests.Challenge;

public sealed class SolutionReplayCacheTests
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void TryUse_SameIdTwice_SecondReplayed()
    {
        var cache = new SolutionReplayCache(100, Lifetime);

        var first = cache.TryUse(1, Start, Start);
        var second = cache.TryUse(1, Start, Start + TimeSpan.FromMinutes(4));

        Assert.Equal(ReplayCheck.Fresh, first);
        Assert.Equal(ReplayCheck.Replayed, second);
    }

    [Fact]
    public void TryUse_AcrossOneRotation_StillRemembered()
    {
        var cache = new SolutionReplayCache(100, Lifetime);
        // Used at the very end of a generation: its token may live almost a whole lifetime more.
        cache.TryUse(1, Start, Start);
        cache.TryUse(2, Start + TimeSpan.FromMinutes(4), Start + TimeSpan.FromMinutes(4.9));

        var afterRotation = cache.TryUse(2, Start + TimeSpan.FromMinutes(4), Start + TimeSpan.FromMinutes(8.9));

        Assert.Equal(ReplayCheck.Replayed, afterRotation);
    }

    [Fact]
    public void TryUse_LongAfter_OldIdsForgottenAndMemoryReleased()
    {
        var cache = new SolutionReplayCache(100, Lifetime);
        for (UInt128 id = 0; id < 50; id++)
        {
            cache.TryUse(id, Start, Start);
        }

        cache.TryUse(1000, Start + TimeSpan.FromMinutes(20), Start + TimeSpan.FromMinutes(20));

        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public void TryUse_GenerationFull_RotatesEarlyAndRefusesOlderTokensAsStale()
    {
        var cache = new SolutionReplayCache(10, Lifetime);
        for (UInt128 id = 0; id < 10; id++)
        {
            Assert.Equal(ReplayCheck.Fresh, cache.TryUse(id, Start, Start + TimeSpan.FromSeconds(1)));
        }
        var later = Start + TimeSpan.FromMinutes(1);
        for (UInt128 id = 10; id < 25; id++)
        {
            cache.TryUse(id, later, later);
        }

        // Memory stays at two generations however many solutions arrive.
        Assert.True(cache.Count <= 20);
        Assert.True(cache.EarlyRotations >= 1);
        // Id 0 may have been forgotten, but its token was issued before the kept generations: refused, not replayable.
        Assert.NotEqual(ReplayCheck.Fresh, cache.TryUse(0, Start, later));
        Assert.Equal(ReplayCheck.Stale, cache.TryUse(999, Start, later));
        Assert.Equal(ReplayCheck.Fresh, cache.TryUse(1000, later + TimeSpan.FromSeconds(1), later + TimeSpan.FromSeconds(1)));
    }
}
