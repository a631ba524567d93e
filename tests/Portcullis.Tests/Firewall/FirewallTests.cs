using System.Net;
using System.Text;
using System.Text.Json;
using Portcullis.Tests.CrsTest;
using Portcullis.Tests.TestSupport;

namespace Portcullis.Tests.Firewall;

/// <summary>The firewall in the real gateway, with the real CRS 4.28 from ../shared/crs, in front of a raw upstream.</summary>
public sealed class FirewallTests
{
    private const string Ok = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok";

    private static string Config(string upstream, string waf = "", string siteWaf = "") => $$"""
        listen: { https: "{https}", http: "{http}" }
        data_dir: "{data}"
        waf:
          crs: "{{CrsTestsDirectory.Crs()}}"
          {{waf}}
        sites:
          - name: app
            hosts: [app.test]
            {{siteWaf}}
            routes:
              - path: /
                upstreams: ["{{upstream}}"]
        """;

    [Fact]
    public async Task Block_SqlInjectionInQuery_403PageWithRequestIdAndUpstreamNeverAsked()
    {
        await using var upstream = RawHttpUpstream.Start(_ => RawReply.Of(Ok));
        await using var gateway = await TestGateway.StartAsync(Config(upstream.Url));
        using var client = gateway.CreateClient();

        using var response = await client.GetAsync(new Uri("https://app.test/search?q=1%27%20OR%20%271%27=%271"));
        var page = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var id = response.Headers.GetValues("X-Request-Id").Single();
        Assert.Contains(id, page, StringComparison.Ordinal);
        Assert.Contains("web application firewall", page, StringComparison.Ordinal);
        Assert.Empty(upstream.Requests);
        var e = await gateway.WaitForEventAsync(id);
        Assert.Equal("waf_blocked", e.Outcome);
        Assert.NotNull(e.Waf);
        Assert.Equal("blocked", e.Waf.Action);
        Assert.Equal(949110, e.Waf.RuleId);
        Assert.Contains(e.Waf.Matches, m => m.Id == 942100 && m.VariableName == "ARGS:q");
    }

    [Fact]
    public async Task Block_BenignRequests_ForwardedUntouchedWithoutVerdict()
    {
        await using var upstream = RawHttpUpstream.Start(_ => RawReply.Of(Ok));
        await using var gateway = await TestGateway.StartAsync(Config(upstream.Url));
        using var client = gateway.CreateClient();

        using var get = await client.GetAsync(new Uri("https://app.test/products?category=shoes&page=2"));
        using var form = await client.PostAsync(new Uri("https://app.test/signup"),
            new FormUrlEncodedContent([new("name", "Ann O'Neil"), new("email", "ann@example.com"), new("city", "Zürich")]));

        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        var posted = upstream.Requests.Single(r => r.Method == "POST");
        Assert.Equal("name=Ann+O%27Neil&email=ann%40example.com&city=Z%C3%BCrich", Encoding.Latin1.GetString(posted.Body));
        var id = form.Headers.GetValues("X-Request-Id").Single();
        Assert.Null((await gateway.WaitForEventAsync(id)).Waf);
    }

    [Fact]
    public async Task Block_AttackInUrlencodedBody_403()
    {
        await using var upstream = RawHttpUpstream.Start(_ => RawReply.Of(Ok));
        await using var gateway = await TestGateway.StartAsync(Config(upstream.Url));
        using var client = gateway.CreateClient();

        using var response = await client.PostAsync(new Uri("https://app.test/comment"),
            new FormUrlEncodedContent([new("text", "<script>alert(document.cookie)</script>")]));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(upstream.Requests);
    }

    [Fact]
    public async Task Block_ChunkedBodyBuffered_ForwardedWithContentLength()
    {
        await using var upstream = RawHttpUpstream.Start(_ => RawReply.Of(Ok));
        await using var gateway = await TestGateway.StartAsync(Config(upstream.Url));

        var answer = await RawTls.SendAsync(gateway.HttpsPort,
            "POST /data HTTP/1.1\r\nHost: app.test\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n", waitMs: 3000);

        Assert.StartsWith("HTTP/1.1 200", answer, StringComparison.Ordinal);
        var forwarded = Assert.Single(upstream.Requests);
        Assert.Equal("hello world", Encoding.Latin1.GetString(forwarded.Body));
        Assert.Equal("11", forwarded.Header("Content-Length"));
        Assert.Null(forwarded.Header("Transfer-Encoding"));
    }

    [Fact]
    public async Task Detect_SqlInjection_ForwardedAndRecordedAsDetected()
    {
        await using var upstream = RawHttpUpstream.Start(_ => RawReply.Of(Ok));
        await using var gateway = await TestGateway.StartAsync(Config(upstream.Url, siteWaf: "waf: { mode: detect }"));
        using var client = gateway.CreateClient();

        using var response = await client.GetAsync(new Uri("https://app.test/search?q=1%27%20OR%20%271%27=%271"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var e = await gateway.WaitForEventAsync(response.Headers.GetValues("X-Request-Id").Single());
        Assert.Equal("detected", e.Waf?.Action);
        Assert.Contains(e.Waf!.Matches, m => m.Id == 949110);
        Assert.Single(upstream.Requests);
    }

    [Fact]
    public async Task Off_SqlInjection_ForwardedWithoutInspection()
    {
        await using var upstream = RawHttpUpstream.Start(_ => RawReply.Of(Ok));
        await using var gateway = await TestGateway.StartAsync(Config(upstream.Url, siteWaf: "waf: { mode: off }"));
        using var client = gateway.CreateClient();

        using var response = await client.GetAsync(new Uri("https://app.test/search?q=1%27%20OR%20%271%27=%271"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null((await gateway.WaitForEventAsync(response.Headers.GetValues("X-Request-Id").Single())).Waf);
    }

    [Theory]
    [InlineData("reject", HttpStatusCode.RequestEntityTooLarge, 0)]
    [InlineData("partial", HttpStatusCode.OK, 1)]
    public async Task BodyOverTheLimit_RejectedOrInspectedInPart(string action, HttpStatusCode expected, int forwarded)
    {
        await using var upstream = RawHttpUpstream.Start(_ => RawReply.Of(Ok));
        await using var gateway = await TestGateway.StartAsync(Config(upstream.Url, $"request_body_limit: 4KB\n  request_body_limit_action: {action}"));
        using var client = gateway.CreateClient();
        // CRS allows only the usual form, multipart, XML and JSON types by default (920420), so the body is a form.
        var body = "data=" + new string('a', 10_000);

        using var response = await client.PostAsync(new Uri("https://app.test/upload"), new StringContent(body, Encoding.UTF8, "application/x-www-form-urlencoded"));

        var e = await gateway.WaitForEventAsync(response.Headers.GetValues("X-Request-Id").Single());
        Assert.True(expected == response.StatusCode, $"{response.StatusCode}: {string.Join(", ", e.Waf?.Matches.Select(m => $"{m.Id} {m.Message} {m.Data}") ?? [])}");
        Assert.Equal(forwarded, upstream.Requests.Count);
        if (forwarded == 1)
        {
            Assert.Equal(body, Encoding.Latin1.GetString(upstream.Requests[0].Body));
        }
    }

    [Fact]
    public async Task Block_SqlErrorLeakingInResponse_ReplacedBy403()
    {
        const string leak = "<html><body>You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version</body></html>";
        await using var upstream = RawHttpUpstream.Start(_ => RawReply.Of($"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {leak.Length}\r\n\r\n{leak}"));
        await using var gateway = await TestGateway.StartAsync(Config(upstream.Url));
        using var client = gateway.CreateClient();

        using var response = await client.GetAsync(new Uri("https://app.test/item?id=5"));
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.DoesNotContain("SQL syntax", text, StringComparison.Ordinal);
        var e = await gateway.WaitForEventAsync(response.Headers.GetValues("X-Request-Id").Single());
        Assert.Contains(e.Waf!.Matches, m => m.Id is >= 951000 and < 952000);
    }

    [Fact]
    public async Task Block_ResponseTypeNotInspected_StreamsThrough()
    {
        const string leak = "You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version";
        await using var upstream = RawHttpUpstream.Start(_ => RawReply.Of($"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: {leak.Length}\r\n\r\n{leak}"));
        await using var gateway = await TestGateway.StartAsync(Config(upstream.Url));
        using var client = gateway.CreateClient();

        using var response = await client.GetAsync(new Uri("https://app.test/file.bin"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(leak, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Block_SecurityLogLine_HasEveryMatchedRule()
    {
        await using var upstream = RawHttpUpstream.Start(_ => RawReply.Of(Ok));
        await using var gateway = await TestGateway.StartAsync(Config(upstream.Url));
        using var client = gateway.CreateClient();

        using var response = await client.GetAsync(new Uri("https://app.test/search?q=1%27%20OR%20%271%27=%271"));
        var id = response.Headers.GetValues("X-Request-Id").Single();

        var path = Path.Combine(gateway.Directory, "data", "logs", "security.log");
        string? line = null;
        for (var i = 0; i < 100 && line is null; i++)
        {
            await Task.Delay(50);
            line = File.Exists(path) ? (await File.ReadAllLinesAsync(path)).FirstOrDefault(l => l.Contains(id, StringComparison.Ordinal)) : null;
        }
        Assert.NotNull(line);
        using var json = JsonDocument.Parse(line);
        var root = json.RootElement;
        Assert.Equal("blocked", root.GetProperty("portcullis.waf.action").GetString());
        Assert.Equal(949110, root.GetProperty("portcullis.waf.rule_id").GetInt32());
        var matches = root.GetProperty("portcullis.waf.matches").EnumerateArray().ToList();
        Assert.Contains(matches, m => m.GetProperty("id").GetInt32() == 942100 && m.GetProperty("variable").GetString() == "ARGS:q");
    }
}
