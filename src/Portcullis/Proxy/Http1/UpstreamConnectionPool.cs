using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Portcullis.Proxy.Http1;

/// <summary>
/// Kept-alive connections per upstream host:port. Most recently used first, so a busy gateway keeps a warm set and
/// the rest age out; idle connections older than <see cref="IdleTimeout"/> are closed (most servers close
/// theirs after 60–75 s, so closing first avoids racing them).
/// </summary>
internal sealed class UpstreamConnectionPool : IDisposable
{
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(50);

    /// <summary>Idle connections kept per upstream; more than enough for the concurrency one gateway drives.</summary>
    private const int MaxIdlePerEndpoint = 512;

    private readonly ConcurrentDictionary<DnsEndPoint, EndpointPool> _pools = new();
    private readonly TimeSpan _connectTimeout;
    private readonly Timer _sweeper;
    private volatile bool _disposed;

    public UpstreamConnectionPool(TimeSpan connectTimeout)
    {
        _connectTimeout = connectTimeout;
        _sweeper = new Timer(_ => Sweep(), null, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10));
    }

    /// <summary>
    /// An idle connection, or null. With <paramref name="probe"/> the connection is first checked for a close the
    /// upstream sent while it sat idle (one poll system call): for requests that cannot be retried on a fresh
    /// connection if the reused one turns out dead. Retryable requests skip the check and retry instead.
    /// </summary>
    public UpstreamConnection? RentIdle(DnsEndPoint endpoint, bool probe)
    {
        var pool = _pools.GetOrAdd(endpoint, e => new EndpointPool(e));
        var now = Environment.TickCount64;
        while (pool.Idle.TryPop(out var connection))
        {
            Interlocked.Decrement(ref pool.IdleCount);
            // Readable while idle means the server closed it (or sent garbage): either way it cannot carry a request.
            // Bytes waiting on an idle connection (a 408 some servers send before closing, late body bytes) would be
            // read as the next request's response: never reuse it. Available is one ioctl, cheaper than a poll.
            if (now - connection.IdleSinceTicks < IdleTimeout.TotalMilliseconds && connection.Socket.Available == 0 &&
                !(probe && connection.Socket.Poll(0, SelectMode.SelectRead)))
            {
                return connection;
            }
            connection.Dispose();
        }
        return null;
    }

    public async ValueTask<UpstreamConnection> ConnectAsync(DnsEndPoint endpoint, CancellationToken cancellationToken)
    {
        var pool = _pools.GetOrAdd(endpoint, e => new EndpointPool(e));
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_connectTimeout);
        try
        {
            await socket.ConnectAsync(endpoint, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            throw new SocketException((int)SocketError.TimedOut);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        return new UpstreamConnection(socket, pool);
    }

    public void Return(UpstreamConnection connection)
    {
        var pool = connection.Owner;
        if (_disposed)
        {
            connection.Dispose();
            return;
        }
        if (Interlocked.Increment(ref pool.IdleCount) > MaxIdlePerEndpoint)
        {
            Interlocked.Decrement(ref pool.IdleCount);
            connection.Dispose();
            return;
        }
        connection.Start = connection.End = 0;
        connection.IdleSinceTicks = Environment.TickCount64;
        pool.Idle.Push(connection);
    }

    private void Sweep()
    {
        var now = Environment.TickCount64;
        foreach (var pool in _pools.Values)
        {
            var keep = new List<UpstreamConnection>();
            while (pool.Idle.TryPop(out var connection))
            {
                Interlocked.Decrement(ref pool.IdleCount);
                if (now - connection.IdleSinceTicks < IdleTimeout.TotalMilliseconds)
                {
                    keep.Add(connection);
                }
                else
                {
                    connection.Dispose();
                }
            }
            // Push back oldest first so the most recently used stay on top.
            for (var i = keep.Count - 1; i >= 0; i--)
            {
                Interlocked.Increment(ref pool.IdleCount);
                pool.Idle.Push(keep[i]);
            }
        }
    }

    public void Dispose()
    {
        _disposed = true;
        _sweeper.Dispose();
        foreach (var pool in _pools.Values)
        {
            while (pool.Idle.TryPop(out var connection))
            {
                connection.Dispose();
            }
        }
    }

    internal sealed class EndpointPool(DnsEndPoint endpoint)
    {
        public DnsEndPoint EndPoint { get; } = endpoint;

        public ConcurrentStack<UpstreamConnection> Idle { get; } = new();

        public int IdleCount;
    }
}
