using System.Collections.Concurrent;
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
/// <para>Measured on the CRS gateway at one core (<c>bench/gateway-cpu.sh</c>): ~26 requests per batch with 32
/// connections, CPU per request 188 → 138 µs. See <c>docs/benchmarks.md</c>.</para>
/// <para>A batch's work runs on a thread-pool thread without the request's execution context (no AsyncLocal values):
/// the engine reads only the transaction and the request it is given. Each thread has its own batch, so inspections
/// still run on every core.</para>
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
        private readonly ConcurrentQueue<Pending> _queue = new();
        private int _scheduled;

        public void Join(Pending pending)
        {
            _queue.Enqueue(pending);
            if (Interlocked.CompareExchange(ref _scheduled, 1, 0) == 0)
            {
                // The end of the global queue, not this thread's local one: the work already queued runs first.
                ThreadPool.UnsafeQueueUserWorkItem(static batch => batch.Run(), this, preferLocal: false);
            }
        }

        private void Run()
        {
            while (true)
            {
                while (_queue.TryDequeue(out var pending))
                {
                    pending.Run();
                }
                Volatile.Write(ref _scheduled, 0);
                // One that joined after the queue ran dry but before the flag dropped saw it set and queued nothing.
                if (_queue.IsEmpty || Interlocked.CompareExchange(ref _scheduled, 1, 0) != 0)
                {
                    return;
                }
            }
        }
    }
}
