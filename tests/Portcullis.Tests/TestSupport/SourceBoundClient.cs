using System.Net;
using System.Net.Security;
using System.Net.Sockets;

namespace Portcullis.Tests.TestSupport;

/// <summary>
/// Clients that connect to a <see cref="TestGateway"/> from a chosen loopback address (127.0.0.2, ...): all of
/// 127.0.0.0/8 is loopback on Linux, so one test plays several client addresses with real sockets.
/// </summary>
internal static class SourceBoundClient
{
    public static readonly IPAddress Second = IPAddress.Parse("127.0.0.2");

    /// <summary>An HTTPS client like <see cref="TestGateway.CreateClient"/> whose connections come from <paramref name="source"/>.</summary>
    public static HttpClient Create(TestGateway gateway, IPAddress source, System.Version? version = null)
    {
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            UseCookies = false,
            ConnectCallback = async (_, ct) => new NetworkStream(await ConnectAsync(source, gateway.HttpsPort, ct), ownsSocket: true),
            SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, _, _, _) => true },
        };
        return new HttpClient(handler)
        {
            DefaultRequestVersion = version ?? HttpVersion.Version11,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    /// <summary>A TCP connection from <paramref name="source"/> to the gateway's port on 127.0.0.1.</summary>
    public static async Task<Socket> ConnectAsync(IPAddress source, int port, CancellationToken cancellationToken = default)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            socket.Bind(new IPEndPoint(source, 0));
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cancellationToken);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
