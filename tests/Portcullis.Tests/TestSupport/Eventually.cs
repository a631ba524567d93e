using System.Diagnostics;

namespace Portcullis.Tests.TestSupport;

/// <summary>
/// Waits for a condition that background work (health checks, writers, reloads) makes true, polling instead of
/// sleeping a fixed time: fast when the machine is fast, still correct when CI is loaded.
/// </summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultDeadline = TimeSpan.FromSeconds(10);

    /// <summary>Polls <paramref name="condition"/> every 20 ms; fails with <paramref name="failure"/> after the deadline.</summary>
    public static async Task TrueAsync(Func<bool> condition, string failure, TimeSpan? deadline = null)
    {
        var limit = deadline ?? DefaultDeadline;
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(watch.Elapsed < limit, $"{failure} within {limit.TotalSeconds} s");
            await Task.Delay(20);
        }
    }
}
