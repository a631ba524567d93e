using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using Portcullis.Limits;
using Portcullis.Tests.TestSupport;

namespace Portcullis.Tests.Integration;

/// <summary>The per-address connection cap (<c>client_limits.max_connections</c>), enforced when Kestrel accepts, before TLS.</summary>
public sealed class ConnectionLimitTests
{
    [Fact]
    public async Task Connections_OverThePerClientCap_RefusedWhileAnotherAddressIsServed()
    {
        await using var origin = await TestOrigin.StartAsync("o");
        await using var gateway = await TestGateway.StartAsync(RateLimitTests.Config(origin, "{ max_connections: 5 }"));
        var held = new List<SslStream>();
        try
        {
            for (var i = 0; i < 5; i++)
            {
                held.Add(await HandshakeAsync(gateway.HttpsPort, IPAddress.Loopback) ?? throw new InvalidOperationException($"connection {i + 1} of 5 was refused"));
            }

            var refused = new List<bool>();
            for (var i = 0; i < 20; i++)
            {
                var extra = await HandshakeAsync(gateway.HttpsPort, IPAddress.Loopback);
                refused.Add(extra is null);
                if (extra is not null)
                {
                    await extra.DisposeAsync();
                }
            }
            using var other = SourceBoundClient.Create(gateway, SourceBoundClient.Second);
            using var served = await other.GetAsync("https://app.test/");

            Assert.All(refused, Assert.True);
            Assert.Equal(HttpStatusCode.OK, served.StatusCode);
            // Twenty refusals, one report: a connection flood does not become a log flood.
            var reports = gateway.Events.Where(e => e.Outcome == "connection_refused").ToList();
            var report = Assert.Single(reports);
            Assert.Equal((LimitNames.ConnectionsPerClient, "127.0.0.1"), (report.Limit, report.ClientIp?.ToString()));

            // A slot that frees is usable again.
            await held[0].DisposeAsync();
            held.RemoveAt(0);
            SslStream? again = null;
            await Eventually.TrueAsync(() => (again ??= HandshakeAsync(gateway.HttpsPort, IPAddress.Loopback).GetAwaiter().GetResult()) is not null,
                "a connection from 127.0.0.1 is accepted after one closed");
            held.Add(again!);
        }
        finally
        {
            foreach (var stream in held)
            {
                await stream.DisposeAsync();
            }
        }
    }

    /// <summary>A finished TLS handshake from <paramref name="source"/>, or null when the gateway closed the connection first.</summary>
    internal static async Task<SslStream?> HandshakeAsync(int port, IPAddress source)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        SslStream? tls = null;
        try
        {
            // The refusal can be fast enough to reset the connection before connect() returns.
            var socket = await SourceBoundClient.ConnectAsync(source, port, timeout.Token);
            tls = new SslStream(new NetworkStream(socket, ownsSocket: true));
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "app.test",
                ApplicationProtocols = [SslApplicationProtocol.Http11],
                RemoteCertificateValidationCallback = (_, _, _, _) => true,
            }, timeout.Token);
            return tls;
        }
        catch (Exception ex) when (ex is IOException or System.Security.Authentication.AuthenticationException or SocketException)
        {
            if (tls is not null)
            {
                await tls.DisposeAsync();
            }
            return null;
        }
    }
}
