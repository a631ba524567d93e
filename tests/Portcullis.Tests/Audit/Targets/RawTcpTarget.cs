using System.Net;
using System.Net.Sockets;

namespace Portcullis.Tests.Audit.Targets;

/// <summary>
/// A loopback TCP listener that does not speak TLS: it answers every connection with fixed bytes (an HTTP 400, garbage)
/// and closes, closes at once, or holds the connection open in silence. Stopped and every connection closed on dispose.
/// </summary>
internal sealed class RawTcpTarget : IAsyncDisposable
{
    public enum Behaviour
    {
        Reply,
        CloseAtOnce,
        Silent,
    }

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Socket> _held = [];
    private readonly Task _loop;

    public RawTcpTarget(Behaviour behaviour, byte[]? reply = null)
    {
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _loop = Task.Run(() => AcceptLoopAsync(behaviour, reply ?? []));
    }

    public int Port { get; }

    public int Accepted { get; private set; }

    private async Task AcceptLoopAsync(Behaviour behaviour, byte[] reply)
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            Accepted++;
            switch (behaviour)
            {
                case Behaviour.Silent:
                    lock (_held)
                    {
                        _held.Add(socket);
                    }
                    break;
                case Behaviour.CloseAtOnce:
                    socket.Close();
                    break;
                default:
                    _ = AnswerAsync(socket, reply);
                    break;
            }
        }
    }

    /// <summary>Like a real server: read the hello, answer, then wait (bounded) for the client to hang up, so the answer is not lost to a reset.</summary>
    private async Task AnswerAsync(Socket socket, byte[] reply)
    {
        using (socket)
        {
            var buffer = new byte[16 * 1024];
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            deadline.CancelAfter(TimeSpan.FromSeconds(5));
            try
            {
                await socket.ReceiveAsync(buffer, deadline.Token);
                await socket.SendAsync(reply, deadline.Token);
                socket.Shutdown(SocketShutdown.Send);
                while (await socket.ReceiveAsync(buffer, deadline.Token) > 0)
                {
                    // Drain until the client closes.
                }
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException)
            {
                // The prober gave up or reset the connection: nothing left to do.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _loop;
        lock (_held)
        {
            foreach (var socket in _held)
            {
                socket.Dispose();
            }
        }
        _stop.Dispose();
    }
}
