using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Portcullis.Tests.TestSupport;

/// <summary>
/// A hand-written HTTP/1.1 upstream on a loopback port that answers with exactly the bytes a test scripts, so tests
/// can send what no real server framework would (obs-fold, conflicting lengths, bad chunk sizes, 1xx heads,
/// close-delimited bodies). For each accepted connection it reads request heads (and Content-Length bodies),
/// records them raw, and writes the scripted <see cref="RawReply"/>. Every socket operation has a timeout, so a test
/// that goes wrong fails instead of hanging; an idle kept-alive connection is closed after <see cref="IdleTimeout"/>.
/// </summary>
internal sealed class RawHttpUpstream : IAsyncDisposable
{
    /// <summary>Bounds one read or write: loopback traffic takes milliseconds.</summary>
    public static readonly TimeSpan OperationTimeout = TimeSpan.FromSeconds(10);

    /// <summary>How long a connection may wait for its next request; longer than any test, shorter than a hung run.</summary>
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(15);

    private const int MaxHeadSize = 64 * 1024;

    private readonly TcpListener _listener;
    private readonly Func<RawRequest, RawReply> _respond;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<RawRequest> _requests = new();
    private readonly ConcurrentBag<Task> _handlers = [];
    private readonly Task _acceptLoop;
    private int _connections;
    private int _closedConnections;

    private RawHttpUpstream(Func<RawRequest, RawReply> respond)
    {
        _respond = respond;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptLoop = AcceptLoopAsync();
    }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}";

    /// <summary>Connections accepted so far.</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>Connections this side has finished with (closed by either end).</summary>
    public int ClosedConnections => Volatile.Read(ref _closedConnections);

    /// <summary>Every request received, in arrival order.</summary>
    public IReadOnlyList<RawRequest> Requests => [.. _requests];

    /// <summary>Answers every request with what <paramref name="respond"/> returns.</summary>
    public static RawHttpUpstream Start(Func<RawRequest, RawReply> respond) => new(respond);

    /// <summary>Answers the n-th request (over all connections) with the n-th reply; requests past the end get a 500.</summary>
    public static RawHttpUpstream Start(params RawReply[] replies)
    {
        var queue = new ConcurrentQueue<RawReply>(replies);
        return new(_ => queue.TryDequeue(out var reply) ? reply : RawReply.Of("HTTP/1.1 500 Script Exhausted\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", close: true));
    }

    /// <summary>Answers every request with the same bytes (and keeps the connection open).</summary>
    public static RawHttpUpstream Start(string reply) => new(_ => RawReply.Of(reply));

    /// <summary>Waits until at least <paramref name="count"/> connections have been closed on this side.</summary>
    public async Task WaitForClosedConnectionsAsync(int count)
    {
        var deadline = DateTime.UtcNow + OperationTimeout;
        while (ClosedConnections < count)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"only {ClosedConnections} of {count} upstream connections closed");
            }
            await Task.Delay(5);
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            var number = Interlocked.Increment(ref _connections);
            _handlers.Add(Task.Run(() => HandleConnectionAsync(socket, number)));
        }
    }

    private async Task HandleConnectionAsync(Socket socket, int connection)
    {
        var buffer = new byte[MaxHeadSize];
        var buffered = 0;
        try
        {
            for (var index = 0; ; index++)
            {
                // Request head: up to and including the blank line.
                int headEnd;
                while ((headEnd = buffer.AsSpan(0, buffered).IndexOf("\r\n\r\n"u8)) < 0)
                {
                    if (buffered == buffer.Length)
                    {
                        throw new InvalidOperationException("request head larger than 64 KB");
                    }
                    var read = await ReceiveAsync(socket, buffer.AsMemory(buffered), index == 0 && buffered == 0 ? OperationTimeout : IdleTimeout);
                    if (read == 0)
                    {
                        return;
                    }
                    buffered += read;
                }
                headEnd += 4;
                var head = Encoding.Latin1.GetString(buffer, 0, headEnd);
                var contentLength = RawRequest.ContentLengthOf(head);
                var body = new byte[contentLength];
                var fromBuffer = (int)Math.Min(contentLength, buffered - headEnd);
                buffer.AsSpan(headEnd, fromBuffer).CopyTo(body);
                buffer.AsSpan(headEnd + fromBuffer, buffered - headEnd - fromBuffer).CopyTo(buffer);
                buffered -= headEnd + fromBuffer;
                for (var received = fromBuffer; received < body.Length;)
                {
                    var read = await ReceiveAsync(socket, body.AsMemory(received), OperationTimeout);
                    if (read == 0)
                    {
                        return;
                    }
                    received += read;
                }
                var request = new RawRequest(connection, index, head, body);
                _requests.Enqueue(request);
                var reply = _respond(request);
                if (reply.Bytes.Length > 0)
                {
                    using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                    timeout.CancelAfter(OperationTimeout);
                    await socket.SendAsync(reply.Bytes, SocketFlags.None, timeout.Token);
                }
                if (reply.Close)
                {
                    socket.Shutdown(SocketShutdown.Send);
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
        {
            // Timed out, reset by the gateway, or stopping: the connection simply ends.
        }
        finally
        {
            socket.Dispose();
            Interlocked.Increment(ref _closedConnections);
        }
    }

    private async ValueTask<int> ReceiveAsync(Socket socket, Memory<byte> into, TimeSpan timeout)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        cts.CancelAfter(timeout);
        return await socket.ReceiveAsync(into, SocketFlags.None, cts.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _acceptLoop;
        await Task.WhenAll(_handlers);
        _stop.Dispose();
    }
}
