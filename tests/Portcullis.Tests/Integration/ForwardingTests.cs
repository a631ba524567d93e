using System.Diagnostics;
using System.Net;
using Portcullis.Tests.TestSupport;

namespace Portcullis.Tests.Integration;

/// <summary>Routing, balancing, forwarding headers and error pages through the real gateway and real upstreams.</summary>
public sealed class ForwardingTests
{
    [Fact]
    public async Task Forward_ByHostAndPathPrefix_ReachesTheRightUpstream()
    {
        await using var shop = await TestOrigin.StartAsync("shop");
        await using var shopApi = await TestOrigin.StartAsync("shop-api");
        await using var blog = await TestOrigin.StartAsync("blog");
        await using var gateway = await TestGateway.StartAsync($$"""
            listen: { https: "{https}", http: "{http}" }
            data_dir: "{data}"
            sites:
              - name: shop
                hosts: [shop.test]
                routes:
                  - { path: /, upstreams: ["{{shop.Url}}"] }
                  - { path: /api, upstreams: ["{{shopApi.Url}}"] }
              - name: blog
                hosts: [blog.test, "*.blog.test"]
                routes: [{ path: /, upstreams: ["{{blog.Url}}"] }]
            """);
        using var client = gateway.CreateClient();

        Assert.Equal("shop", (await GetAsync(client, "https://shop.test/cart?x=1")).Origin);
        var api = await GetAsync(client, "https://shop.test/api/items?id=7");
        Assert.Equal("shop-api", api.Origin);
        Assert.Equal("/api/items", api.Path);
        Assert.Equal("?id=7", api.Query);
        Assert.Equal("shop-api", (await GetAsync(client, "https://shop.test/api")).Origin);
        Assert.Equal("shop", (await GetAsync(client, "https://shop.test/apix")).Origin);
        Assert.Equal("blog", (await GetAsync(client, "https://blog.test/")).Origin);
        Assert.Equal("blog", (await GetAsync(client, "https://www.blog.test/")).Origin);
        // An unknown name goes to the default (first) site, as nginx's default_server does.
        Assert.Equal("shop", (await GetAsync(client, "https://unknown.test/")).Origin);
    }

    [Fact]
    public async Task Forward_TwoUpstreams_RoundRobin()
    {
        await using var a = await TestOrigin.StartAsync("a");
        await using var b = await TestOrigin.StartAsync("b");
        await using var gateway = await TestGateway.StartAsync(SingleRoute($"\"{a.Url}\", \"{b.Url}\""));
        using var client = gateway.CreateClient();

        var seen = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            seen.Add((await GetAsync(client, "https://app.test/")).Origin);
        }

        Assert.Equal(5, seen.Count(o => o == "a"));
        Assert.Equal(5, seen.Count(o => o == "b"));
        Assert.All(seen.Zip(seen.Skip(1)), pair => Assert.NotEqual(pair.First, pair.Second));
    }

    [Fact]
    public async Task Forward_ActiveHealthCheck_TakesUpstreamOutAndBringsItBack()
    {
        await using var a = await TestOrigin.StartAsync("a");
        await using var b = await TestOrigin.StartAsync("b");
        await using var gateway = await TestGateway.StartAsync(SingleRoute($"\"{a.Url}\", \"{b.Url}\"",
            "health_check: { path: /health, interval: 100ms, timeout: 1s }"));
        using var client = gateway.CreateClient();

        var health = gateway.Host.Current.Sites[0].Routes[0].Pool.Upstreams[1].Health;
        b.Healthy = false;
        await Eventually.TrueAsync(() => !health.IsAvailable, "the active check takes b out");
        var whileDown = new List<string>();
        for (var i = 0; i < 8; i++)
        {
            whileDown.Add((await GetAsync(client, "https://app.test/")).Origin);
        }
        b.Healthy = true;
        await Eventually.TrueAsync(() => health.IsAvailable, "the active check brings b back");
        var afterRecovery = new List<string>();
        for (var i = 0; i < 8; i++)
        {
            afterRecovery.Add((await GetAsync(client, "https://app.test/")).Origin);
        }

        Assert.All(whileDown, o => Assert.Equal("a", o));
        Assert.Equal(4, afterRecovery.Count(o => o == "b"));
    }

    [Fact]
    public async Task Forward_PassiveHealthCheck_DeadUpstreamTakenOutAfterFailures()
    {
        await using var a = await TestOrigin.StartAsync("a");
        var deadPort = TestPorts.GetFree();
        await using var gateway = await TestGateway.StartAsync(SingleRoute($"\"{a.Url}\", \"http://127.0.0.1:{deadPort}\"",
            "health_check: { passive_failures: 2, passive_cooldown: 1h }"));
        using var client = gateway.CreateClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 12; i++)
        {
            using var response = await client.GetAsync(new Uri("https://app.test/"));
            statuses.Add(response.StatusCode);
        }

        // Round robin sends every other request to the dead upstream until it has failed twice; then only "a" answers.
        Assert.Equal(2, statuses.Count(s => s == HttpStatusCode.BadGateway));
        Assert.All(statuses.Skip(4), s => Assert.Equal(HttpStatusCode.OK, s));
    }

    [Fact]
    public async Task Forward_SetsForwardedHeadersAndReplacesForgedOnes()
    {
        await using var origin = await TestOrigin.StartAsync("o");
        await using var gateway = await TestGateway.StartAsync(SingleRoute($"\"{origin.Url}\""));
        using var client = gateway.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://app.test/x");
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", "6.6.6.6");
        request.Headers.TryAddWithoutValidation("X-Forwarded-Host", "evil.test");
        request.Headers.TryAddWithoutValidation("X-Forwarded-Proto", "http");
        request.Headers.TryAddWithoutValidation("Forwarded", "for=6.6.6.6");
        request.Headers.TryAddWithoutValidation("X-Request-Id", "forged");

        using var response = await client.SendAsync(request);
        var reply = await OriginReply.ReadAsync(response);

        Assert.Equal("127.0.0.1", reply.Header("X-Forwarded-For"));
        Assert.Equal("app.test", reply.Header("X-Forwarded-Host"));
        Assert.Equal("https", reply.Header("X-Forwarded-Proto"));
        Assert.Null(reply.Header("Forwarded"));
        var requestId = Assert.Single(response.Headers.GetValues("X-Request-Id"));
        Assert.Matches("^[0-9a-f]{32}$", requestId);
        Assert.Equal(requestId, reply.Header("X-Request-Id"));
        var e = await gateway.WaitForEventAsync(requestId);
        Assert.Equal(IPAddress.Loopback, e.ClientIp);
    }

    [Fact]
    public async Task Forward_FromTrustedProxy_BelievesAndExtendsXForwardedFor()
    {
        await using var origin = await TestOrigin.StartAsync("o");
        await using var gateway = await TestGateway.StartAsync(SingleRoute($"\"{origin.Url}\"").Replace("sites:", "trusted_proxies: [127.0.0.0/8]\nsites:", StringComparison.Ordinal));
        using var client = gateway.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://app.test/x");
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", "1.1.1.1, 203.0.113.9");
        request.Headers.TryAddWithoutValidation("X-Forwarded-Proto", "https");
        request.Headers.TryAddWithoutValidation("X-Request-Id", "edge-abc123");

        using var response = await client.SendAsync(request);
        var reply = await OriginReply.ReadAsync(response);

        Assert.Equal("1.1.1.1, 203.0.113.9, 127.0.0.1", reply.Header("X-Forwarded-For"));
        Assert.Equal("edge-abc123", reply.Header("X-Request-Id"));
        var e = await gateway.WaitForEventAsync("edge-abc123");
        Assert.Equal(IPAddress.Parse("203.0.113.9"), e.ClientIp);
        Assert.Equal(IPAddress.Loopback, e.PeerIp);
    }

    [Fact]
    public async Task Response_BannersStrippedAndSecurityHeadersAdded()
    {
        await using var origin = await TestOrigin.StartAsync("o");
        await using var gateway = await TestGateway.StartAsync(SingleRoute($"\"{origin.Url}\""));
        using var client = gateway.CreateClient();

        using var response = await client.GetAsync(new Uri("https://app.test/"));
        using var framed = await client.GetAsync(new Uri("https://app.test/frame-ancestors"));

        Assert.False(response.Headers.Contains("Server"));
        Assert.False(response.Headers.Contains("X-Powered-By"));
        Assert.False(response.Headers.Contains("X-AspNet-Version"));
        Assert.Equal("max-age=63072000; includeSubDomains", Assert.Single(response.Headers.GetValues("Strict-Transport-Security")));
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("strict-origin-when-cross-origin", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        Assert.Equal("SAMEORIGIN", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
        // The upstream chose its own framing policy (CSP frame-ancestors): no contradicting X-Frame-Options.
        Assert.False(framed.Headers.Contains("X-Frame-Options"));
    }

    [Fact]
    public async Task Response_SiteHeaderOverrides_Apply()
    {
        await using var origin = await TestOrigin.StartAsync("o");
        await using var gateway = await TestGateway.StartAsync(SingleRoute($"\"{origin.Url}\"")
            .Replace("    routes:", "    headers: { set: { X-Frame-Options: DENY, Referrer-Policy: \"\", Permissions-Policy: \"camera=()\" } }\n    routes:", StringComparison.Ordinal));
        using var client = gateway.CreateClient();

        using var response = await client.GetAsync(new Uri("https://app.test/"));

        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
        Assert.Equal("camera=()", Assert.Single(response.Headers.GetValues("Permissions-Policy")));
        Assert.False(response.Headers.Contains("Referrer-Policy"));
    }

    [Fact]
    public async Task Forward_UpstreamRefused_502WithinOneSecond()
    {
        var deadPort = TestPorts.GetFree();
        await using var gateway = await TestGateway.StartAsync(SingleRoute($"\"http://127.0.0.1:{deadPort}\""));
        using var client = gateway.CreateClient();

        var watch = Stopwatch.StartNew();
        using var response = await client.GetAsync(new Uri("https://app.test/"));
        watch.Stop();
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"took {watch.Elapsed}");
        Assert.Contains("502 Bad Gateway", body, StringComparison.Ordinal);
        Assert.DoesNotContain(deadPort.ToString(System.Globalization.CultureInfo.InvariantCulture), body, StringComparison.Ordinal);
        Assert.DoesNotContain("127.0.0.1", body, StringComparison.Ordinal);
        Assert.Contains(Assert.Single(response.Headers.GetValues("X-Request-Id")), body, StringComparison.Ordinal);
        Assert.StartsWith("default-src 'none'", Assert.Single(response.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
        Assert.True(response.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task Forward_SlowUpstream_504AtTheRouteTimeout()
    {
        await using var origin = await TestOrigin.StartAsync("o");
        await using var gateway = await TestGateway.StartAsync(SingleRoute($"\"{origin.Url}\"", "timeout: 1s"));
        using var client = gateway.CreateClient();

        var watch = Stopwatch.StartNew();
        using var response = await client.GetAsync(new Uri("https://app.test/slow?ms=5000"));
        watch.Stop();

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(3));
        Assert.Contains("504 Gateway Timeout", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Forward_BodyOverRouteCap_413()
    {
        await using var origin = await TestOrigin.StartAsync("o");
        await using var gateway = await TestGateway.StartAsync(SingleRoute($"\"{origin.Url}\"", "max_body_size: 1KB"));
        using var client = gateway.CreateClient();

        using var big = await client.PostAsync(new Uri("https://app.test/upload"), new ByteArrayContent(new byte[4096]));
        using var small = await client.PostAsync(new Uri("https://app.test/upload"), new ByteArrayContent(new byte[512]));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, big.StatusCode);
        Assert.Equal(HttpStatusCode.OK, small.StatusCode);
        Assert.Equal(0, origin.Requests - 1);
    }

    [Fact]
    public async Task Event_OnePerRequest_WithSiteRouteUpstreamAndStatus()
    {
        await using var origin = await TestOrigin.StartAsync("o");
        await using var gateway = await TestGateway.StartAsync(SingleRoute($"\"{origin.Url}\""));
        using var client = gateway.CreateClient();

        using var response = await client.GetAsync(new Uri("https://app.test/search?q=shoes"));
        var id = Assert.Single(response.Headers.GetValues("X-Request-Id"));
        var e = await gateway.WaitForEventAsync(id);

        Assert.Equal("app", e.Site);
        Assert.Equal("/", e.Route);
        Assert.Equal(origin.Url, e.Upstream);
        Assert.Equal(200, e.StatusCode);
        Assert.Equal("/search", e.Path);
        Assert.Equal("q=shoes", e.Query);
        Assert.Equal("GET", e.Method);
        Assert.Equal("app.test", e.Host);
        Assert.Equal("forwarded", e.Outcome);
        Assert.Equal("1.3", e.TlsProtocol);
        Assert.Single(gateway.Events, x => x.RequestId == id);
    }

    internal static string SingleRoute(string upstreams, string routeExtra = "") => $$"""
        listen: { https: "{https}", http: "{http}" }
        data_dir: "{data}"
        sites:
          - name: app
            hosts: [app.test]
            routes:
              - path: /
                upstreams: [{{upstreams}}]
                {{routeExtra}}
        """;

    private static async Task<OriginReply> GetAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(new Uri(url));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await OriginReply.ReadAsync(response);
    }
}
