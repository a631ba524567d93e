using Portcullis.Firewall;
using Portcullis.Waf.Transactions;

namespace Portcullis.Tests.Firewall;

/// <summary>Inspections queued from many threads at once each get their own answer (or exception), and none is lost.</summary>
public sealed class InspectionBatchesTests
{
    [Fact]
    public async Task RunAsync_FromManyThreadsAtOnce_AnswersEachInspectionWithItsOwnResult()
    {
        const int count = 2000;
        var ran = 0;
        var tasks = Enumerable.Range(0, count).Select(i => Task.Run(() => InspectionBatches.RunAsync(() =>
        {
            Interlocked.Increment(ref ran);
            return i % 3 == 0 ? new Interruption(403, i, "deny", Phase.RequestHeaders) : null;
        }))).ToArray();

        var results = await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(count, ran);
        for (var i = 0; i < count; i++)
        {
            Assert.Equal(i % 3 == 0 ? i : null, results[i]?.RuleId);
        }
    }

    [Fact]
    public async Task RunAsync_AnInspectionThatThrows_FailsItsOwnTaskOnly()
    {
        var failing = InspectionBatches.RunAsync(() => throw new InvalidOperationException("broken rule"));
        var passing = InspectionBatches.RunAsync(() => null);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => failing.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal("broken rule", error.Message);
        Assert.Null(await passing.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task RunAsync_BehindASlowInspection_GetsARunnerOfItsOwn()
    {
        // Both join one thread's batch (blocking waits keep the thread); the second comes once the first has held the
        // batch's runner for 50 ms, so another runner takes it instead of leaving it behind the first.
        using var started = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var (slow, fast) = await Task.Run(() =>
        {
            var slow = InspectionBatches.RunAsync(() =>
            {
                started.Set();
                release.Wait(TimeSpan.FromSeconds(30));
                return null;
            });
            Assert.True(started.Wait(TimeSpan.FromSeconds(10)));
            Thread.Sleep(50);
            var fast = InspectionBatches.RunAsync(() => new Interruption(403, 7, "deny", Phase.RequestHeaders));
            return (slow, fast);
        });

        try
        {
            Assert.Equal(7, (await fast.WaitAsync(TimeSpan.FromSeconds(10)))!.RuleId);
            Assert.False(slow.IsCompleted);
        }
        finally
        {
            release.Set();
        }
        Assert.Null(await slow.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task RunAsync_QueuedWhileABatchRuns_JoinsAndCompletes()
    {
        // The first inspection queues more from inside the batch's run: they must run too, in that run or the next.
        var inner = new TaskCompletionSource<Task<Interruption?>[]>();
        var outer = InspectionBatches.RunAsync(() =>
        {
            inner.SetResult([.. Enumerable.Range(0, 10).Select(i => InspectionBatches.RunAsync(() => new Interruption(403, i, "deny", Phase.RequestBody)))]);
            return null;
        });

        Assert.Null(await outer.WaitAsync(TimeSpan.FromSeconds(10)));
        var results = await Task.WhenAll(await inner.Task).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(Enumerable.Range(0, 10), results.Select(r => r!.RuleId));
    }
}
