using System.Net;
using System.Net.Sockets;

namespace Portcullis.Audit.Tls;

/// <summary>
/// Sends one hand-built ClientHello per TCP connection and classifies the answer. Each exchange is bounded by the
/// probe timeout (connect, write and read together) and by <see cref="ServerReplyReader.MaxBytes"/>; at most
/// <see cref="MaxConcurrent"/> connections are open at once so an audit never floods the server it examines.
/// Network errors become replies (Closed, Timeout), never exceptions, except the caller's own cancellation.
/// </summary>
internal sealed class TlsProbeClient : IDisposable
{
    /// <summary>Parallel but bounded: enough to finish a weak server's ~200 handshakes in seconds, few enough to look like one busy client.</summary>
    public const int MaxConcurrent = 6;

    private readonly SemaphoreSlim _gate = new(MaxConcurrent);
    private int _connections;

    public TlsProbeClient(IPEndPoint endpoint, string? serverName, TimeSpan timeout)
    {
        Endpoint = endpoint;
        ServerName = serverName;
        Timeout = timeout;
    }

    public IPEndPoint Endpoint { get; }

    public string? ServerName { get; }

    public TimeSpan Timeout { get; }

    /// <summary>How many probe connections were made (reported with the timing).</summary>
    public int Connections => Volatile.Read(ref _connections);

    public Task<ServerReply> SendAsync(ClientHello hello, bool readFlight, CancellationToken ct) =>
        SendRawAsync(ClientHelloWriter.Write(hello), readFlight, ct);

    public async Task<ServerReply> SendRawAsync(byte[] hello, bool readFlight, CancellationToken ct)
    {
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            Interlocked.Increment(ref _connections);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
            deadline.CancelAfter(Timeout);
            using var socket = new Socket(Endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(Endpoint, deadline.Token).ConfigureAwait(false);
                await using var stream = new NetworkStream(socket, ownsSocket: false);
                await stream.WriteAsync(hello, deadline.Token).ConfigureAwait(false);
                return await ServerReplyReader.ReadAsync(stream, readFlight, deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                return new ServerReply(ReplyKind.Timeout, $"no answer within {Timeout.TotalSeconds:0.#} s");
            }
            catch (SocketException e)
            {
                return new ServerReply(ReplyKind.Closed, e.SocketErrorCode == SocketError.ConnectionRefused ? "connection refused" : "connection reset (" + e.SocketErrorCode + ")");
            }
            catch (IOException e)
            {
                return new ServerReply(ReplyKind.Closed, "connection reset: " + (e.InnerException?.Message ?? e.Message));
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();
}
