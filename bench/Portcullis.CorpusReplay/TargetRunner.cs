using System.Diagnostics;
using System.Net.Sockets;

namespace Portcullis.CorpusReplay;

/// <summary>
/// Sends every request to one target from <c>concurrency</c> workers, each holding one keep-alive connection, and
/// records an <see cref="Outcome"/> per request. A reused connection that fails before any response byte is retried
/// once on a fresh one (the server may have closed it while idle, RFC 9112 §9.3.1); on a fresh connection the same
/// failure is the answer: a reset or a close without response counts as blocked.
/// </summary>
internal sealed class TargetRunner(Target target, string host, int concurrency, TimeSpan timeout)
{
    private int _next = -1;
    private int _done;
    private int _connections;

    public Target Target => target;

    public int Done => Volatile.Read(ref _done);

    public TimeSpan Elapsed { get; private set; }

    /// <summary>Connections opened: near <c>concurrency</c> when the target keeps them alive, one per request when not.</summary>
    public int Connections => Volatile.Read(ref _connections);

    public async Task<Outcome[]> RunAsync(IReadOnlyList<BuiltRequest> requests, CancellationToken cancellationToken)
    {
        var outcomes = new Outcome[requests.Count];
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(() => WorkAsync(requests, outcomes, cancellationToken), cancellationToken));
        await Task.WhenAll(workers);
        Elapsed = clock.Elapsed;
        return outcomes;
    }

    private async Task WorkAsync(IReadOnlyList<BuiltRequest> requests, Outcome[] outcomes, CancellationToken cancellationToken)
    {
        HttpConnection? connection = null;
        try
        {
            int i;
            while ((i = Interlocked.Increment(ref _next)) < requests.Count)
            {
                cancellationToken.ThrowIfCancellationRequested();
                (outcomes[i], connection) = await ExchangeAsync(requests[i], connection, cancellationToken);
                Interlocked.Increment(ref _done);
            }
        }
        finally
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }
        }
    }

    private async Task<(Outcome, HttpConnection?)> ExchangeAsync(BuiltRequest request, HttpConnection? connection, CancellationToken cancellationToken)
    {
        if (request.Isolated && connection is not null)
        {
            await connection.DisposeAsync();
            connection = null;
        }

        for (var attempt = 0; ; attempt++)
        {
            var reused = connection is not null;
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(timeout);
            try
            {
                if (connection is null)
                {
                    Interlocked.Increment(ref _connections);
                    connection = await HttpConnection.OpenAsync(target, host, deadline.Token);
                }
            }
            catch (Exception e) when (e is SocketException or IOException or System.Security.Authentication.AuthenticationException
                || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                return (Outcome.NoResponse(e is OperationCanceledException ? "timeout" : "connect-failed"), null);
            }

            var (outcome, head) = await TryExchangeAsync(connection, request, deadline.Token, cancellationToken);
            if (head is { KeepAlive: true } && !request.Isolated)
            {
                return (outcome, connection);
            }

            await connection.DisposeAsync();
            connection = null;
            if (head is null && outcome.Failure is "reset" or "closed" && reused && attempt == 0)
            {
                continue;
            }

            return (outcome, null);
        }
    }

    private static async Task<(Outcome Outcome, ResponseHead? Head)> TryExchangeAsync(
        HttpConnection connection, BuiltRequest request, CancellationToken deadline, CancellationToken run)
    {
        var writeFailed = false;
        try
        {
            await connection.WriteAsync(request.Bytes, deadline);
        }
        catch (IOException)
        {
            // The server may have answered and closed before reading the whole request (an early 403 or 413):
            // its response can still be waiting in our receive buffer, so read before calling it a reset.
            writeFailed = true;
        }
        catch (OperationCanceledException) when (!run.IsCancellationRequested)
        {
            return (Outcome.NoResponse("timeout"), null);
        }

        try
        {
            var head = await connection.Reader.ReadAsync(request.Method, deadline);
            return head is null
                ? (Outcome.NoResponse(writeFailed ? "reset" : "closed"), null)
                : (Outcome.Response(head.Status), head);
        }
        catch (IOException)
        {
            return (Outcome.NoResponse("reset"), null);
        }
        catch (InvalidDataException)
        {
            return (Outcome.NoResponse("bad-response"), null);
        }
        catch (FormatException)
        {
            return (Outcome.NoResponse("bad-response"), null);
        }
        catch (OperationCanceledException) when (!run.IsCancellationRequested)
        {
            return (Outcome.NoResponse("timeout"), null);
        }
    }
}
