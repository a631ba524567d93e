using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace Portcullis.Tests.TestSupport;

/// <summary>
/// One HTTP/1.1 exchange over TLS where the test writes the request bytes itself, possibly slowly or far too many
/// of them. The response is read while the request is still being written, so a server that answers early and
/// closes (431, 414, 408) is seen even when the rest of the request no longer gets through.
/// </summary>
internal sealed class RawHttps : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly StringBuilder _received = new();
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private RawHttps(Socket socket, SslStream tls)
    {
        _socket = socket;
        Stream = tls;
        ReadLoop = ReadAsync();
    }

    public SslStream Stream { get; }

    /// <summary>Completes when the server closes (or resets) the connection.</summary>
    public Task Closed => _closed.Task;

    private Task ReadLoop { get; }

    public static async Task<RawHttps> ConnectAsync(int port, CancellationToken cancellationToken)
    {
        var socket = await SourceBoundClient.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
        var tls = new SslStream(new NetworkStream(socket, ownsSocket: false));
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "app.test",
            ApplicationProtocols = [SslApplicationProtocol.Http11],
            RemoteCertificateValidationCallback = (_, _, _, _) => true,
        }, cancellationToken);
        return new RawHttps(socket, tls);
    }

    /// <summary>Writes; false when the server has closed the connection (the rest of the request cannot go out).</summary>
    public async Task<bool> TryWriteAsync(string text, CancellationToken cancellationToken)
    {
        if (Closed.IsCompleted)
        {
            return false;
        }
        try
        {
            await Stream.WriteAsync(Encoding.Latin1.GetBytes(text), cancellationToken);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>What the server sent so far.</summary>
    public string Received
    {
        get
        {
            lock (_received)
            {
                return _received.ToString();
            }
        }
    }

    /// <summary>The status code of the response, once its status line has arrived; 0 when the connection closed without one.</summary>
    public async Task<int> StatusAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var text = Received;
            var end = text.IndexOf("\r\n", StringComparison.Ordinal);
            if (end > 0)
            {
                return int.Parse(text.Split(' ')[1], CultureInfo.InvariantCulture);
            }
            if (Closed.IsCompleted)
            {
                return 0;
            }
            await Task.Delay(20);
        }
        throw new TimeoutException($"no status line within {timeout}");
    }

    private async Task ReadAsync()
    {
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await Stream.ReadAsync(buffer)) > 0)
            {
                lock (_received)
                {
                    _received.Append(Encoding.Latin1.GetString(buffer, 0, read));
                }
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // A reset is a close too.
        }
        _closed.TrySetResult();
    }

    public async ValueTask DisposeAsync()
    {
        await Stream.DisposeAsync();
        _socket.Dispose();
        await ReadLoop;
    }
}
