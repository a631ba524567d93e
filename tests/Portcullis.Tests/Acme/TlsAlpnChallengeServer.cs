using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using Portcullis.Acme.Challenges;

namespace Portcullis.Tests.Acme;

/// <summary>
/// An SslStream server on 127.0.0.1 that answers tls-alpn-01 validation handshakes (RFC 8737) from an
/// <see cref="AcmeChallengeStore"/>: ALPN acme-tls/1 only, the certificate chosen by SNI. Records each SNI it served.
/// </summary>
internal sealed class TlsAlpnChallengeServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly AcmeChallengeStore _store;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    private TlsAlpnChallengeServer(int port, AcmeChallengeStore store)
    {
        _store = store;
        _listener = new TcpListener(IPAddress.Loopback, port);
        _listener.Start();
        _loop = Task.Run(AcceptLoopAsync);
    }

    public ConcurrentQueue<string> Handshakes { get; } = new();

    public static TlsAlpnChallengeServer Start(int port, AcmeChallengeStore store) => new(port, store);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _loop;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopping.
        }
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                await using var tls = new SslStream(client.GetStream());
                using var deadline = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                deadline.CancelAfter(TimeSpan.FromSeconds(10));
                await tls.AuthenticateAsServerAsync((_, hello, _, _) =>
                {
                    var context = _store.GetTlsAlpnCertificate(hello.ServerName)
                        ?? throw new AuthenticationFailedException($"no tls-alpn-01 certificate for '{hello.ServerName}'");
                    return ValueTask.FromResult(new SslServerAuthenticationOptions
                    {
                        ServerCertificateContext = context,
                        ApplicationProtocols = [AcmeChallengeTypes.AcmeTls1],
                    });
                }, null, deadline.Token);
                Handshakes.Enqueue($"{tls.TargetHostName} {tls.NegotiatedApplicationProtocol}");
                // The validator only looks at the handshake; wait for it to close.
                var buffer = new byte[1];
                _ = await tls.ReadAsync(buffer, deadline.Token);
            }
            catch (Exception e) when (e is IOException or AuthenticationFailedException or OperationCanceledException or System.Security.Authentication.AuthenticationException)
            {
                // A failed or aborted handshake is the validator's verdict to report, not the server's.
            }
        }
    }

    private sealed class AuthenticationFailedException(string message) : Exception(message);
}
