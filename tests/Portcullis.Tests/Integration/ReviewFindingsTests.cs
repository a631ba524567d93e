using System.Net;
using Portcullis.Configuration;
using Portcullis.Tests.TestSupport;

namespace Portcullis.Tests.Integration;

/// <summary>Regression tests for the findings of the first security and correctness review of the gateway.</summary>
public sealed class ReviewFindingsTests
{
    private const string Ok = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

    [Theory]
    [InlineData("/internal/../app")]
    [InlineData("/internal/%2e%2e/app")]
    public async Task Forward_DotSegments_UpstreamGetsThePathRoutingMatched(string target)
    {
        await using var upstream = RawHttpUpstream.Start(Ok);
        await using var gateway = await TestGateway.StartAsync($$"""
            listen: { https: "{https}", http: "{http}" }
            data_dir: "{data}"
            sites:
              - name: app
                hosts: [app.test]
                waf: { mode: off }   # routing is under test; the firewall would (rightly) refuse the dot segments
                routes: [{ path: /app, upstreams: ["{{upstream.Url}}"] }]
            """);

        var answer = await RawTls.SendAsync(gateway.HttpsPort, $"GET {target} HTTP/1.1\r\nHost: app.test\r\nConnection: close\r\n\r\n");
        var blocked = await RawTls.SendAsync(gateway.HttpsPort, "GET /internal/x HTTP/1.1\r\nHost: app.test\r\nConnection: close\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 200", answer, StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 404", blocked, StringComparison.Ordinal);
        // An upstream that does not normalise paths must never see the /internal prefix.
        Assert.Equal("/app", Assert.Single(upstream.Requests).Target);
    }

    [Fact]
    public async Task Forward_ClientStallsItsBody_408AndTheUpstreamIsNotBlamed()
    {
        await using var upstream = RawHttpUpstream.Start(Ok);
        await using var gateway = await TestGateway.StartAsync(ForwardingTests.SingleRoute($"\"{upstream.Url}\"", "timeout: 1s"));

        var answer = await RawTls.SendAsync(gateway.HttpsPort, "POST /a HTTP/1.1\r\nHost: app.test\r\nContent-Length: 10\r\n\r\n12345", waitMs: 4000);

        Assert.StartsWith("HTTP/1.1 408", answer, StringComparison.Ordinal);
        var upstreamState = gateway.Host.Current.Sites[0].Routes[0].Pool.Upstreams[0];
        Assert.Equal(0, upstreamState.Health.ConsecutiveFailures);
    }

    [Fact]
    public async Task Reload_HealthCheckRemoved_UpstreamComesBack()
    {
        await using var a = await TestOrigin.StartAsync("a");
        await using var b = await TestOrigin.StartAsync("b");
        var upstreams = $"\"{a.Url}\", \"{b.Url}\"";
        await using var gateway = await TestGateway.StartAsync(ForwardingTests.SingleRoute(upstreams, "health_check: { path: /health, interval: 100ms, timeout: 1s }"));
        b.Healthy = false;
        await Eventually.TrueAsync(() => !gateway.Host.Current.Sites[0].Routes[0].Pool.Upstreams[1].Health.IsAvailable,
            "the active check takes b out");

        var result = ConfigLoader.Parse(gateway.Expand(ForwardingTests.SingleRoute(upstreams)), gateway.ConfigPath);
        Assert.Empty(await gateway.Host.ReloadAsync(result.Config!));
        b.Healthy = true;
        using var client = gateway.CreateClient();
        for (var i = 0; i < 6; i++)
        {
            using var response = await client.GetAsync(new Uri("https://app.test/"));
        }

        // No active check watches b any more, so the failed verdict of the old one must not keep it out forever.
        Assert.Equal(3, b.Requests - b.HealthRequests);
    }

    [Fact]
    public async Task Forward_ClientAddressHeadersFromUntrustedClient_ReplacedOrDropped()
    {
        await using var origin = await TestOrigin.StartAsync("o");
        await using var gateway = await TestGateway.StartAsync(ForwardingTests.SingleRoute($"\"{origin.Url}\""));
        using var client = gateway.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://app.test/x");
        request.Headers.TryAddWithoutValidation("X-Real-IP", "6.6.6.6");
        request.Headers.TryAddWithoutValidation("True-Client-IP", "6.6.6.6");
        request.Headers.TryAddWithoutValidation("X-Client-IP", "6.6.6.6");
        request.Headers.TryAddWithoutValidation("CF-Connecting-IP", "6.6.6.6");

        using var response = await client.SendAsync(request);
        var reply = await OriginReply.ReadAsync(response);

        Assert.Equal("127.0.0.1", reply.Header("X-Real-IP"));
        Assert.Null(reply.Header("True-Client-IP"));
        Assert.Null(reply.Header("X-Client-IP"));
        Assert.Null(reply.Header("CF-Connecting-IP"));
    }

    [Theory]
    [InlineData("headers: { set: { Permissions-Policy: \"camera=() \u2014 none\" } }", "must be printable ASCII")]
    [InlineData("headers: { set: { Content-Length: \"5\" } }", "frames the message")]
    public void Load_HeaderValuesKestrelCannotSend_AreConfigErrors(string headers, string expected)
    {
        var yaml = ForwardingTests.SingleRoute("\"http://127.0.0.1:1\"").Replace("sites:", headers + "\nsites:", StringComparison.Ordinal);

        var result = ConfigLoader.Parse(yaml, "/tmp/portcullis.yaml");

        Assert.Contains(result.Errors, e => e.Message.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Load_HealthCheckIntervalWithoutPath_IsAnError()
    {
        var yaml = ForwardingTests.SingleRoute("\"http://127.0.0.1:1\"", "health_check: { interval: 1s }");

        var errors = ConfigLoader.Parse(yaml, "/tmp/portcullis.yaml").Errors;

        Assert.Contains(errors, e => e.Line == 9 && e.Message.Contains("interval and timeout belong to the active check", StringComparison.Ordinal));
    }
}
