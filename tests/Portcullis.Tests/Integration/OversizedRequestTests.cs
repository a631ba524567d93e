using System.Globalization;
using Portcullis.Tests.TestSupport;

namespace Portcullis.Tests.Integration;

/// <summary>
/// Requests far over the size caps, written byte for byte over TLS: the gateway answers with the right status as
/// soon as a cap is passed, without reading the rest, and the origin never sees them.
/// </summary>
public sealed class OversizedRequestTests
{
    private static string Config(TestOrigin origin) => RateLimitTests.Config(origin, "{ }", loginExtra: "max_body_size: 1KB");

    [Fact]
    public async Task Headers_10000_431()
    {
        await using var origin = await TestOrigin.StartAsync("o");
        await using var gateway = await TestGateway.StartAsync(Config(origin));

        var lines = Enumerable.Range(0, 10_000).Select(i => string.Create(CultureInfo.InvariantCulture, $"X-Flood-{i}: v\r\n"));
        var status = await SendAsync(gateway, ["GET / HTTP/1.1\r\nHost: app.test\r\n", .. Chunk(lines, 200), "\r\n"]);

        Assert.Equal(431, status);
        Assert.Equal(0, origin.Requests);
        // Refused by Kestrel before the pipeline, and still in the request events (and so the access log).
        await Eventually.TrueAsync(() => gateway.Events.Any(e => e.StatusCode == 431 && e.Limit == Portcullis.Limits.LimitNames.RequestHeaders &&
            e.ClientIp?.ToString() == "127.0.0.1"), "a 431 event naming the limit");
    }

    [Fact]
    public async Task Url_64KB_414()
    {
        await using var origin = await TestOrigin.StartAsync("o");
        await using var gateway = await TestGateway.StartAsync(Config(origin));

        var target = "/?q=" + new string('a', 64 * 1024);
        var status = await SendAsync(gateway, ["GET ", .. target.Chunk(4096).Select(c => new string(c)), " HTTP/1.1\r\nHost: app.test\r\n\r\n"]);

        Assert.Equal(414, status);
        Assert.Equal(0, origin.Requests);
        await Eventually.TrueAsync(() => gateway.Events.Any(e => e.StatusCode == 414 && e.Limit == Portcullis.Limits.LimitNames.RequestLine),
            "a 414 event naming the limit");
    }

    [Theory]
    [InlineData("/login", 2048, false, 413)]
    [InlineData("/login", 2048, true, 413)]
    [InlineData("/login", 1000, false, 200)]
    [InlineData("/login", 1000, true, 200)]
    // The same body on a route without its own cap: the gateway-wide 100 MB applies.
    [InlineData("/", 2048, false, 200)]
    public async Task Body_OverTheRouteCap_413(string path, int size, bool chunked, int expected)
    {
        await using var origin = await TestOrigin.StartAsync("o");
        await using var gateway = await TestGateway.StartAsync(Config(origin));

        var body = new string('b', size);
        var framing = chunked ? "Transfer-Encoding: chunked" : $"Content-Length: {size}";
        var payload = chunked ? $"{size:x}\r\n{body}\r\n0\r\n\r\n" : body;
        var status = await SendAsync(gateway, [$"POST {path} HTTP/1.1\r\nHost: app.test\r\nContent-Type: application/octet-stream\r\n{framing}\r\nConnection: close\r\n\r\n", payload]);

        Assert.Equal(expected, status);
        if (expected == 413 && !chunked)
        {
            // Refused from Content-Length alone, before a byte of the body went anywhere.
            Assert.Equal(0, origin.Requests);
            Assert.Contains(gateway.Events, e => e.StatusCode == 413 && e.Limit == Portcullis.Limits.LimitNames.BodySize);
        }
    }

    private static IEnumerable<string> Chunk(IEnumerable<string> parts, int size) => parts.Chunk(size).Select(c => string.Concat(c));

    private static async Task<int> SendAsync(TestGateway gateway, IEnumerable<string> writes)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var connection = await RawHttps.ConnectAsync(gateway.HttpsPort, timeout.Token);
        foreach (var write in writes)
        {
            if (!await connection.TryWriteAsync(write, timeout.Token))
            {
                break;
            }
        }
        return await connection.StatusAsync(TimeSpan.FromSeconds(20));
    }
}
