using System.Diagnostics;
using System.Net;
using Portcullis.Tests.TestSupport;

namespace Portcullis.Tests.Integration;

/// <summary>
/// Slow clients against Kestrel's timeouts as <c>limits:</c> configures them: slowloris (headers dribbled a byte
/// at a time) and slow POST (a body dribbled below the minimum data rate), with real TLS connections.
/// </summary>
public sealed class SlowClientTests
{
    private static string Config(TestOrigin origin, string limits) =>
        RateLimitTests.Config(origin, "{ max_connections: off }").Replace("client_limits:", $"limits: {limits}\nclient_limits:", StringComparison.Ordinal);

    [Fact]
    public async Task Slowloris_200TricklingConnections_ClosedWithinTheHeadersTimeoutWhileANormalClientIsServed()
    {
        var headersTimeout = TimeSpan.FromSeconds(3);
        await using var origin = await TestOrigin.StartAsync("o");
        await using var gateway = await TestGateway.StartAsync(Config(origin, "{ request_headers_timeout: 3s }"));
        using var normal = gateway.CreateClient();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(90));

        var attackers = Enumerable.Range(0, 200).Select(_ => TrickleHeadersAsync(gateway.HttpsPort, TimeSpan.FromSeconds(1), stop.Token)).ToList();
        var served = new List<(HttpStatusCode Status, TimeSpan Took)>();
        var all = Task.WhenAll(attackers);
        while (!all.IsCompleted)
        {
            var watch = Stopwatch.StartNew();
            using var response = await normal.GetAsync("https://app.test/");
            served.Add((response.StatusCode, watch.Elapsed));
            await Task.WhenAny(all, Task.Delay(200));
        }
        var lifetimes = await all;

        // Each connection wrote a byte every second (so it was never idle) and still went at the timeout; Kestrel
        // checks once a second, and this shared machine adds scheduling delay on top.
        Assert.All(lifetimes, life => Assert.InRange(life, headersTimeout - TimeSpan.FromMilliseconds(500), headersTimeout + TimeSpan.FromSeconds(5)));
        Assert.NotEmpty(served);
        Assert.All(served, s => Assert.Equal(HttpStatusCode.OK, s.Status));
        await Eventually.TrueAsync(() => gateway.Events.Count(e => e.Limit == Portcullis.Limits.LimitNames.RequestHeadersTimeout) == 200,
            "each of the 200 is a 408 event naming the headers timeout");
        Console.WriteLine($"slowloris: 200 closed after {lifetimes.Min().TotalSeconds:F1}-{lifetimes.Max().TotalSeconds:F1} s; " +
                          $"{served.Count} normal requests, slowest {served.Max(s => s.Took).TotalMilliseconds:F0} ms");
    }

    /// <summary>Sends a request line and then one header byte per <paramref name="interval"/>; returns how long the server let the connection live.</summary>
    private static async Task<TimeSpan> TrickleHeadersAsync(int port, TimeSpan interval, CancellationToken cancellationToken)
    {
        await using var connection = await RawHttps.ConnectAsync(port, cancellationToken);
        var watch = Stopwatch.StartNew();
        await connection.TryWriteAsync("GET / HTTP/1.1\r\nHost: app.test\r\nX-Slow: ", cancellationToken);
        while (await connection.TryWriteAsync("a", cancellationToken))
        {
            await Task.WhenAny(connection.Closed, Task.Delay(interval, cancellationToken));
        }
        await connection.Closed.WaitAsync(cancellationToken);
        return watch.Elapsed;
    }

    [Fact]
    public async Task SlowPost_BodyBelowTheMinimumRate_CutWhileAFastUploadPasses()
    {
        await using var origin = await TestOrigin.StartAsync("o");
        await using var gateway = await TestGateway.StartAsync(Config(origin, "{ min_request_data_rate: 100, data_rate_grace_period: 2s }"));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var client = gateway.CreateClient();

        using var fast = await client.PostAsync("https://app.test/", new ByteArrayContent(new byte[100_000]));
        await using var slow = await RawHttps.ConnectAsync(gateway.HttpsPort, timeout.Token);
        var watch = Stopwatch.StartNew();
        await slow.TryWriteAsync("POST / HTTP/1.1\r\nHost: app.test\r\nContent-Type: application/octet-stream\r\nContent-Length: 100000\r\n\r\n", timeout.Token);
        // 2 bytes/s: the whole body would take 14 hours.
        while (await slow.TryWriteAsync("b", timeout.Token))
        {
            await Task.WhenAny(slow.Closed, Task.Delay(500, timeout.Token));
        }
        await slow.Closed.WaitAsync(timeout.Token);

        Assert.Equal(HttpStatusCode.OK, fast.StatusCode);
        // Grace period 2 s, then the rate is checked once a second; loaded-machine slack on top.
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(10));
    }
}
