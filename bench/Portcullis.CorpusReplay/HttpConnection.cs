using System.Net.Security;
using System.Net.Sockets;

namespace Portcullis.CorpusReplay;

/// <summary>One raw TCP (optionally TLS) connection to a target: bytes out exactly as built, responses read back by
/// <see cref="ResponseReader"/>. HTTP/1.1 only (ALPN offers nothing else), so nginx's <c>http2</c> listener answers
/// in HTTP/1.1 too.</summary>
internal sealed class HttpConnection : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly Stream _stream;

    private HttpConnection(Socket socket, Stream stream)
    {
        _socket = socket;
        _stream = stream;
        Reader = new ResponseReader(stream);
    }

    public ResponseReader Reader { get; }

    public static async Task<HttpConnection> OpenAsync(Target target, string host, CancellationToken cancellationToken)
    {
        var socket = new Socket(target.Endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(target.Endpoint, cancellationToken);
            Stream stream = new NetworkStream(socket, ownsSocket: false);
            if (target.Tls)
            {
                var tls = new SslStream(stream, leaveInnerStreamOpen: false);
                await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
                {
                    TargetHost = host,
                    ApplicationProtocols = [SslApplicationProtocol.Http11],
                    // The targets are this run's own servers on loopback with throwaway self-signed certificates
                    // (Target.Parse refuses any other address); there is no chain to validate.
#pragma warning disable CA5359
                    RemoteCertificateValidationCallback = static (_, _, _, _) => true,
#pragma warning restore CA5359
                }, cancellationToken);
                stream = tls;
            }

            return new HttpConnection(socket, stream);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public async Task WriteAsync(byte[] bytes, CancellationToken cancellationToken)
    {
        await _stream.WriteAsync(bytes, cancellationToken);
        await _stream.FlushAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _stream.DisposeAsync();
        }
        catch (IOException)
        {
            // closing a connection the peer already reset
        }

        _socket.Dispose();
    }
}
