using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using Portcullis.Tests.TestSupport;

namespace Portcullis.Tests.Integration;

/// <summary>
/// The protocol limits of <c>limits:</c> as Kestrel enforces them on the real HTTPS listener. Requests are written
/// byte for byte over TLS, so the header count and request-line length are exactly what the test says.
/// </summary>
public sealed class LimitsTests
{
    [Fact]
    public async Task HeaderCount_OverDefaultLimit_431FromGateway()
    {
        await using var origin = await TestOrigin.StartAsync("o");
        await using var gateway = await TestGateway.StartAsync(ForwardingTests.SingleRoute($"\"{origin.Url}\""));

        // Not 100: the gateway adds X-Forwarded-* and X-Request-Id, and the origin (Kestrel) has the same limit.
        var under = await SendAsync(gateway, "/", headers: 90);
        var over = await SendAsync(gateway, "/", headers: 101);

        Assert.Equal(200, under);
        Assert.Equal(431, over);
        // The gateway refused it itself; the origin saw only the first request.
        Assert.Equal(1, origin.Requests);
    }

    [Fact]
    public async Task RequestLine_Over8KiB_414()
    {
        await using var origin = await TestOrigin.StartAsync("o");
        await using var gateway = await TestGateway.StartAsync(ForwardingTests.SingleRoute($"\"{origin.Url}\""));

        var under = await SendAsync(gateway, Target(8 * 1024 - 200), headers: 2);
        var over = await SendAsync(gateway, Target(8 * 1024 + 100), headers: 2);

        Assert.Equal(200, under);
        Assert.Equal(414, over);
        Assert.Equal(1, origin.Requests);
    }

    [Fact]
    public async Task HeaderCount_ConfiguredLimit10_10Pass11Get431()
    {
        await using var origin = await TestOrigin.StartAsync("o");
        await using var gateway = await TestGateway.StartAsync(WithLimits(origin, "max_request_header_count: 10"));

        var atLimit = await SendAsync(gateway, "/", headers: 10);
        var overLimit = await SendAsync(gateway, "/", headers: 11);

        Assert.Equal(200, atLimit);
        Assert.Equal(431, overLimit);
        Assert.Equal(1, origin.Requests);
    }

    [Fact]
    public async Task RequestLine_ConfiguredLimit2KB_LongerGets414()
    {
        await using var origin = await TestOrigin.StartAsync("o");
        await using var gateway = await TestGateway.StartAsync(WithLimits(origin, "max_request_line_size: 2KB"));

        var under = await SendAsync(gateway, Target(2 * 1024 - 100), headers: 2);
        // Far below the 8 KiB default: only the configured value can refuse it.
        var over = await SendAsync(gateway, Target(2 * 1024 + 100), headers: 2);

        Assert.Equal(200, under);
        Assert.Equal(414, over);
        Assert.Equal(1, origin.Requests);
    }

    [Fact]
    public async Task HeadersTotalSize_ConfiguredLimit2KB_LargerGets431()
    {
        await using var origin = await TestOrigin.StartAsync("o");
        await using var gateway = await TestGateway.StartAsync(WithLimits(origin, "max_request_headers_size: 2KB"));

        var small = await SendAsync(gateway, "/", headers: 3, headerValueLength: 1000);
        // Far below the 32 KiB default: only the configured value can refuse it.
        var large = await SendAsync(gateway, "/", headers: 5, headerValueLength: 1000);

        Assert.Equal(200, small);
        Assert.Equal(431, large);
        Assert.Equal(1, origin.Requests);
    }

    private static string WithLimits(TestOrigin origin, string limits) =>
        ForwardingTests.SingleRoute($"\"{origin.Url}\"").Replace("sites:", $"limits: {{ {limits} }}\nsites:", StringComparison.Ordinal);

    /// <summary>A request target that makes "GET {target} HTTP/1.1" exactly <paramref name="requestLineLength"/> characters.</summary>
    private static string Target(int requestLineLength) => "/?pad=" + new string('a', requestLineLength - "GET /?pad= HTTP/1.1".Length);

    /// <summary>
    /// One HTTP/1.1 request over TLS (SNI app.test) with exactly <paramref name="headers"/> header lines: Host,
    /// Connection and X-Test-N fillers of <paramref name="headerValueLength"/> characters. Returns the status code.
    /// </summary>
    private static async Task<int> SendAsync(TestGateway gateway, string target, int headers, int headerValueLength = 8)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, gateway.HttpsPort), timeout.Token);
        await using var tls = new SslStream(new NetworkStream(socket, ownsSocket: false));
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "app.test",
            ApplicationProtocols = [SslApplicationProtocol.Http11],
            EnabledSslProtocols = SslProtocols.Tls13 | SslProtocols.Tls12,
            RemoteCertificateValidationCallback = (_, _, _, _) => true,
        }, timeout.Token);
        var request = new StringBuilder();
        request.Append(CultureInfo.InvariantCulture, $"GET {target} HTTP/1.1\r\nHost: app.test\r\nConnection: close\r\n");
        for (var i = 2; i < headers; i++)
        {
            request.Append(CultureInfo.InvariantCulture, $"X-Test-{i}: {new string('v', headerValueLength)}\r\n");
        }
        request.Append("\r\n");
        await tls.WriteAsync(Encoding.ASCII.GetBytes(request.ToString()), timeout.Token);
        var buffer = new byte[1024];
        var head = new StringBuilder();
        int read;
        while (!head.ToString().Contains("\r\n", StringComparison.Ordinal) && (read = await tls.ReadAsync(buffer, timeout.Token)) > 0)
        {
            head.Append(Encoding.Latin1.GetString(buffer, 0, read));
        }
        var statusLine = head.ToString().Split("\r\n")[0];
        Assert.StartsWith("HTTP/1.1 ", statusLine, StringComparison.Ordinal);
        return int.Parse(statusLine.Split(' ')[1], CultureInfo.InvariantCulture);
    }
}
