using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Portcullis.Tests.TestSupport;

namespace Portcullis.Tests.Integration;

/// <summary>The plain-HTTP listener of the real gateway: everything becomes a 308 to the same host over HTTPS.</summary>
public sealed class RedirectTests
{
    [Theory]
    [InlineData("GET")]
    [InlineData("POST")]
    public async Task PlainHttp_AnyMethod_308ToSameHostOnHttpsPortWithPathAndQuery(string method)
    {
        await using var origin = await TestOrigin.StartAsync("o");
        await using var gateway = await TestGateway.StartAsync(ForwardingTests.SingleRoute($"\"{origin.Url}\""));
        using var client = gateway.CreateClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), "http://app.test/shop/cart?item=42&size=xl");
        if (method == "POST")
        {
            request.Content = new StringContent("{\"qty\":1}", Encoding.UTF8, "application/json");
        }

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.PermanentRedirect, response.StatusCode);
        Assert.Equal($"https://app.test:{gateway.HttpsPort}/shop/cart?item=42&size=xl", response.Headers.Location?.OriginalString);
        Assert.False(response.Headers.Contains("Strict-Transport-Security"), "HSTS sent over plain HTTP (RFC 6797 §7.2 forbids it)");
        Assert.Equal(0, origin.Requests);
    }

    [Fact]
    public async Task PlainHttp_EncodedPathAndQuery_KeptExactly()
    {
        await using var origin = await TestOrigin.StartAsync("o");
        await using var gateway = await TestGateway.StartAsync(ForwardingTests.SingleRoute($"\"{origin.Url}\""));
        // Raw bytes, so no client library normalizes the target before the gateway sees it.
        const string target = "/caf%C3%A9/a%20b/x%2Fy/%3F?q=a%26b%3Dc&sp=%20+&e=%E2%82%AC&empty=";

        var (status, headers) = await SendRawAsync(gateway.HttpPort, $"GET {target} HTTP/1.1\r\nHost: app.test\r\nConnection: close\r\n\r\n");

        Assert.Equal(308, status);
        Assert.Equal($"https://app.test:{gateway.HttpsPort}{target}", headers["location"]);
        Assert.False(headers.ContainsKey("strict-transport-security"));
    }

    [Fact]
    public async Task PlainHttp_HostWithPort_RedirectKeepsHostNameAndUsesHttpsPort()
    {
        await using var origin = await TestOrigin.StartAsync("o");
        await using var gateway = await TestGateway.StartAsync(ForwardingTests.SingleRoute($"\"{origin.Url}\""));

        var (status, headers) = await SendRawAsync(gateway.HttpPort,
            $"GET /login?next=%2Fhome HTTP/1.1\r\nHost: 127.0.0.1:{gateway.HttpPort}\r\nConnection: close\r\n\r\n");

        Assert.Equal(308, status);
        Assert.Equal($"https://127.0.0.1:{gateway.HttpsPort}/login?next=%2Fhome", headers["location"]);
    }

    [Fact]
    public async Task PlainHttp_Http10WithoutHost_400()
    {
        await using var origin = await TestOrigin.StartAsync("o");
        await using var gateway = await TestGateway.StartAsync(ForwardingTests.SingleRoute($"\"{origin.Url}\""));

        var (status, headers) = await SendRawAsync(gateway.HttpPort, "GET /path?q=1 HTTP/1.0\r\n\r\n");

        Assert.Equal(400, status);
        Assert.False(headers.ContainsKey("location"));
        Assert.False(headers.ContainsKey("strict-transport-security"));
        Assert.Equal(0, origin.Requests);
    }

    /// <summary>Sends <paramref name="request"/> as-is on a fresh connection; returns the status and the headers (lower-case names).</summary>
    [Theory]
    [InlineData("/.well-known/acme-challenge/nosuchtoken", 404)]
    [InlineData("/.well-known/acme-challenge/", 404)]
    [InlineData("/.well-known/acme-challengeX", 308)]
    [InlineData("/.well-known/other", 308)]
    public async Task Http_AcmeChallengePath_AnsweredOnlyForPublishedTokens(string target, int expected)
    {
        await using var gateway = await TestGateway.StartAsync(ForwardingTests.SingleRoute("\"http://127.0.0.1:9\""));

        var (status, _) = await SendRawAsync(gateway.HttpPort, $"GET {target} HTTP/1.1\r\nHost: app.test\r\nConnection: close\r\n\r\n");

        Assert.Equal(expected, status);
    }

    private static async Task<(int Status, Dictionary<string, string> Headers)> SendRawAsync(int port, string request)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), timeout.Token);
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request), timeout.Token);
        var received = new StringBuilder();
        var buffer = new byte[4096];
        int read;
        // The gateway closes after answering (Connection: close / HTTP/1.0); read the head until then.
        while (!received.ToString().Contains("\r\n\r\n", StringComparison.Ordinal) && (read = await stream.ReadAsync(buffer, timeout.Token)) > 0)
        {
            received.Append(Encoding.Latin1.GetString(buffer, 0, read));
        }
        var head = received.ToString();
        var end = head.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        Assert.True(end > 0, $"no complete response head: {head}");
        var lines = head[..end].Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1], CultureInfo.InvariantCulture);
        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            headers[line[..colon].Trim().ToLowerInvariant()] = line[(colon + 1)..].Trim();
        }
        return (status, headers);
    }
}
