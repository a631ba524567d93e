using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace Portcullis.Tests.TestSupport;

/// <summary>Sends bytes exactly as written over TLS (HttpClient would normalise the target or fix the framing).</summary>
internal static class RawTls
{
    public static async Task<string> SendAsync(int port, string request, int waitMs = 3000)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
        await using var network = new NetworkStream(socket, ownsSocket: false);
        await using var tls = new SslStream(network, false, (_, _, _, _) => true);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "app.test", ApplicationProtocols = [SslApplicationProtocol.Http11] });
        await tls.WriteAsync(Encoding.Latin1.GetBytes(request));
        var text = new StringBuilder();
        var buffer = new byte[8192];
        using var cts = new CancellationTokenSource(waitMs);
        try
        {
            int read;
            while ((read = await tls.ReadAsync(buffer, cts.Token)) > 0)
            {
                text.Append(Encoding.Latin1.GetString(buffer, 0, read));
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            // The server kept the connection open or reset it: what arrived is the answer.
        }
        return text.ToString();
    }
}
