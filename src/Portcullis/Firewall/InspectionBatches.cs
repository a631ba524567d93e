using System.Collections.Concurrent;
using System.Diagnostics;
using Portcullis.Waf.Transactions;

namespace Portcullis.Firewall;

/// <summary>
/// Runs the request side of WAF inspections back to back instead of each in the middle of its own request's TLS,
/// HTTP and proxy work. An inspection joins the batch of the thread it comes from; the first one to join an idle
/// batch queues its run at the end of the thread pool's queue, so the requests whose turn comes before that run (other
/// connections' reads being parsed) join the same batch. Under load a batch holds many requests: the rule set, the
/// engine's per-thread pools and its code stay in the caches from one inspection to the next, and the responses go
/// out in bursts, which wake the peers waiting on them fewer times. An idle gateway runs each inspection on its own,
/// one thread-pool hop later.
/// <para>Only requests without a body are batched (both request phases in one run). Batching a body's phase 2, once
/// the body was read, made form posts ~30 % slower: phase 1 then ran on the request's thread and phase 2 on the
/// batch's, most likely moving the engine's per-thread pools from thread to thread.</para>
/// <para>Measured on the CRS gateway at one core (<c>bench/gateway-cpu.sh</c>): ~26 requests per batch with 32
/// connections, CPU per request down by a fifth to a quarter. See <c>docs/benchmarks.md</c>.</para>
/// <para>A batch's work runs on a thread-pool thread without the request's execution context (no AsyncLocal values):
/// the engine reads only the transaction and the request it is given. Each thread has its own batch, so inspections
/// still run on every core, and a batch that has started no inspection for 2 ms (one slow inspection in front) gets
/// another runner for the ones behind it.</para>
/// </summary>
internal static class InspectionBatches
{
    [ThreadStatic]
    private static Batch? t_batch;

    /// <summary>Runs <paramref name="inspection"/> in this thread's batch; its exception, if any, is the task's.</summary>
    public static Task<Interruption?> RunAsync(Func<Interruption?> inspection)
    {
        var batch = t_batch ??= new Batch();
        var pending = new Pending(inspection);
        batch.Join(pending);
        return pending.Task;
    }

    private sealed class Pending(Func<Interruption?> inspection) : TaskCompletionSource<Interruption?>(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        public void Run()
        {
            try
            {
                SetResult(inspection());
            }
            catch (Exception e)
            {
                SetException(e);
            }
        }
    }

    private sealed class Batch
    {
        /// <summary>How long a running batch may go without starting an inspection before one that joins adds a runner.</summary>
        private static readonly long StallTicks = Stopwatch.Frequency / 500;

        private readonly ConcurrentQueue<Pending> _queue = new();
        private int _runners;
        private long _lastStart;

        public void Join(Pending pending)
        {
            _queue.Enqueue(pending);
            if (Interlocked.CompareExchange(ref _runners, 1, 0) == 0)
            {
                // Waiting for its turn in the thread pool is not a stall: a second runner would queue behind it.
                Volatile.Write(ref _lastStart, long.MaxValue);
                Schedule();
                return;
            }
            // A slow inspection (a regex near its time limit, a long query string) must not hold up the ones behind it
            // while other cores could take them: after 2 ms without a new start, another runner drains the same queue.
            var now = Stopwatch.GetTimestamp();
            if (now - Volatile.Read(ref _lastStart) > StallTicks && Volatile.Read(ref _runners) < Environment.ProcessorCount)
            {
                Volatile.Write(ref _lastStart, now);
                Interlocked.Increment(ref _runners);
                Schedule();
            }
        }

        // The end of the global queue, not this thread's local one: the work already queued runs first.
        private void Schedule() => ThreadPool.UnsafeQueueUserWorkItem(static batch => batch.Run(), this, preferLocal: false);

        private void Run()
        {
            while (true)
            {
                while (_queue.TryDequeue(out var pending))
                {
                    Volatile.Write(ref _lastStart, Stopwatch.GetTimestamp());
                    pending.Run();
                }
                if (Interlocked.Decrement(ref _runners) > 0)
                {
                    // Another runner is still at work; the last one to stop looks again below.
                    return;
                }
                // One that joined after the queue ran dry but before the count dropped saw a runner and queued none.
                if (_queue.IsEmpty || Interlocked.CompareExchange(ref _runners, 1, 0) != 0)
                {
                    return;
                }
            }
        }
    }
}
