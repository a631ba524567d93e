using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Portcullis.Configuration;
using Portcullis.Limits;
using Portcullis.Tests.TestSupport;

namespace Portcullis.Tests.Integration;

/// <summary>
/// Per-client rate limits and in-flight caps on the real gateway: requests over real TLS connections from two
/// loopback addresses (127.0.0.1 and 127.0.0.2), answered by a real origin.
/// </summary>
public sealed class RateLimitTests
{
    internal static string Config(TestOrigin origin, string clientLimits, string siteExtra = "", string loginExtra = "", string rootExtra = "") => $$"""
        listen: { https: "{https}", http: "{http}" }
        data_dir: "{data}"
        client_limits: {{clientLimits}}
        sites:
          - name: app
            hosts: [app.test]
            {{siteExtra}}
            routes:
              - path: /
                upstreams: ["{{origin.Url}}"]
                {{rootExtra}}
              - path: /login
                upstreams: ["{{origin.Url}}"]
                {{loginExtra}}
        """;

    [Fact]
    public async Task Burst_OverTheLimit_429WithRetryAfterThenServedAgain()
    {
        await using var origin = await TestOrigin.StartAsync("o");
        // One token every 2 s, two at once.
        await using var gateway = await TestGateway.StartAsync(Config(origin, "{ rate_limit: { rate: 30/m, burst: 2 } }"));
        using var client = gateway.CreateClient();

        var burst = await StatusesAsync(client, "https://app.test/", 2);
        using var refused = await client.GetAsync("https://app.test/");
        var again = await client.GetAsync("https://app.test/");

        Assert.Equal([200, 200], burst);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        var retryAfter = refused.Headers.RetryAfter?.Delta;
        Assert.Equal(TimeSpan.FromSeconds(2), retryAfter);
        Assert.Contains("429 Too Many Requests", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.TooManyRequests, again.StatusCode);
        Assert.Equal(2, origin.Requests);

        // Obeying Retry-After is exactly what must work: wait what the gateway said, then ask once.
        await Task.Delay(retryAfter!.Value);
        using var after = await client.GetAsync("https://app.test/");
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);

        var requestId = refused.Headers.GetValues("X-Request-Id").Single();
        var e = await gateway.WaitForEventAsync(requestId);
        Assert.Equal((429, "rate:global", "rate_limited"), (e.StatusCode, e.Limit, e.Outcome));
        var log = Path.Combine(gateway.Directory, "data", "logs", "access.log");
        await Eventually.TrueAsync(() => File.Exists(log) && File.ReadLines(log).Any(l => l.Contains(requestId, StringComparison.Ordinal) &&
            l.Contains("\"portcullis.limit\":\"rate:global\"", StringComparison.Ordinal)), "the access log names the limit");
    }

    [Fact]
    public async Task Burst_FromTwoAddresses_LimitedIndependentlyAndReportedThroughTheHook()
    {
        await using var origin = await TestOrigin.StartAsync("o");
        await using var gateway = await TestGateway.StartAsync(Config(origin, "{ rate_limit: { rate: 1/h, burst: 2 } }"));
        var overLimit = new ConcurrentQueue<(string Client, string Limit)>();
        gateway.Host.Services.GetRequiredService<LimitSignals>().OverLimit = (c, l) => overLimit.Enqueue((c, l));
        using var first = gateway.CreateClient();
        using var second = SourceBoundClient.Create(gateway, SourceBoundClient.Second);

        var fromFirst = await StatusesAsync(first, "https://app.test/", 3);
        var fromSecond = await StatusesAsync(second, "https://app.test/", 3);

        Assert.Equal([200, 200, 429], fromFirst);
        Assert.Equal([200, 200, 429], fromSecond);
        Assert.Equal([("127.0.0.1", "rate:global"), ("127.0.0.2", "rate:global")], overLimit.ToArray());
    }

    [Fact]
    public async Task RouteLimit_OverridesTheSiteAndOffOptsOut()
    {
        await using var origin = await TestOrigin.StartAsync("o");
        await using var gateway = await TestGateway.StartAsync(Config(origin, "{ rate_limit: { rate: 1/h, burst: 1 } }",
            siteExtra: "rate_limit: off", loginExtra: "rate_limit: { rate: 1/h, burst: 2 }"));
        using var client = gateway.CreateClient();

        var home = await StatusesAsync(client, "https://app.test/", 5);
        var login = await StatusesAsync(client, "https://app.test/login", 3);

        Assert.Equal([200, 200, 200, 200, 200], home);
        Assert.Equal([200, 200, 429], login);
        // The request event is recorded once the response has completed, which may be just after the client has it.
        await Eventually.TrueAsync(() => gateway.Events.Any(e => e.Limit == "rate:route:app:/login" && e.StatusCode == 429),
            "the 429 is reported as the route's limit");
    }

    [Fact]
    public async Task Reload_ChangedRate_AppliesToTheNextRequest()
    {
        await using var origin = await TestOrigin.StartAsync("o");
        await using var gateway = await TestGateway.StartAsync(Config(origin, "{ rate_limit: { rate: 1/h, burst: 1 } }"));
        using var client = gateway.CreateClient();
        var before = await StatusesAsync(client, "https://app.test/", 2);

        File.WriteAllText(gateway.ConfigPath, gateway.Expand(Config(origin, "{ rate_limit: { rate: 1/h, burst: 4 } }")));
        var errors = await gateway.Host.ReloadAsync(ConfigLoader.Load(gateway.ConfigPath).Config!);
        var after = await StatusesAsync(client, "https://app.test/", 5);

        Assert.Equal([200, 429], before);
        Assert.Empty(errors);
        // A changed limit starts with full buckets (documented): four, then refused.
        Assert.Equal([200, 200, 200, 200, 429], after);
    }

    [Fact]
    public async Task InFlight_OverTheClientCap_429WhileAnotherAddressIsServed()
    {
        await using var origin = await TestOrigin.StartAsync("o");
        await using var gateway = await TestGateway.StartAsync(Config(origin, "{ max_requests_in_flight: 2 }"));
        using var client = gateway.CreateClient();
        using var second = SourceBoundClient.Create(gateway, SourceBoundClient.Second);

        var slow = Enumerable.Range(0, 2).Select(_ => client.GetAsync("https://app.test/slow?ms=4000")).ToList();
        await Eventually.TrueAsync(() => origin.Requests == 2, "both slow requests reach the origin");
        using var third = await client.GetAsync("https://app.test/");
        using var other = await second.GetAsync("https://app.test/");
        var finished = await Task.WhenAll(slow);

        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), third.Headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.All(finished, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Contains(gateway.Events, e => e.Limit == LimitNames.RequestsInFlightPerClient && e.StatusCode == 429);
        using var afterwards = await client.GetAsync("https://app.test/");
        Assert.Equal(HttpStatusCode.OK, afterwards.StatusCode);
        foreach (var response in finished)
        {
            response.Dispose();
        }
    }

    internal static async Task<List<int>> StatusesAsync(HttpClient client, string url, int count)
    {
        var statuses = new List<int>();
        for (var i = 0; i < count; i++)
        {
            using var response = await client.GetAsync(url);
            statuses.Add((int)response.StatusCode);
        }
        return statuses;
    }
}
