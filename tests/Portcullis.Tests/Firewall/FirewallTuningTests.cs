using System.Net;
using Portcullis.Tests.CrsTest;
using Portcullis.Tests.TestSupport;

namespace Portcullis.Tests.Firewall;

/// <summary>The site's waf: tuning (exclusions, paranoia levels, thresholds) in the real gateway with CRS 4.28.</summary>
public sealed class FirewallTuningTests
{
    private const string Ok = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok";
    private const string Sqli = "1%27%20OR%20%271%27=%271";

    private static string Config(string upstream, string siteWaf) => $$"""
        listen: { https: "{https}", http: "{http}" }
        data_dir: "{data}"
        waf:
          crs: "{{CrsTestsDirectory.Crs()}}"
        sites:
          - name: app
            hosts: [app.test]
            waf:
              {{siteWaf}}
            routes:
              - path: /
                upstreams: ["{{upstream}}"]
        """;

    private static async Task<(HttpStatusCode Status, string Id)> SendAsync(HttpClient client, HttpMethod method, string pathAndQuery, string? form = null)
    {
        using var request = new HttpRequestMessage(method, new Uri("https://app.test" + pathAndQuery));
        if (form is not null)
        {
            request.Content = new StringContent(form, System.Text.Encoding.UTF8, "application/x-www-form-urlencoded");
        }
        using var response = await client.SendAsync(request);
        return (response.StatusCode, response.Headers.GetValues("X-Request-Id").Single());
    }

    [Fact]
    public async Task Exclusion_TargetPathAndMethod_OnlyThatTargetOnThatPathPasses()
    {
        await using var upstream = RawHttpUpstream.Start(_ => RawReply.Of(Ok));
        await using var gateway = await TestGateway.StartAsync(Config(upstream.Url, """
              exclusions:
                    - tags: [attack-sqli]
                      targets: [ARGS:comment]
                      path: /blog/
                      methods: [POST]
            """));
        using var client = gateway.CreateClient();

        var excluded = await SendAsync(client, HttpMethod.Post, "/blog/comments", "comment=" + Sqli);
        var otherTarget = await SendAsync(client, HttpMethod.Post, "/blog/comments", "title=" + Sqli);
        var otherPath = await SendAsync(client, HttpMethod.Post, "/shop/review", "comment=" + Sqli);
        var otherMethod = await SendAsync(client, HttpMethod.Get, "/blog/comments?comment=" + Sqli);

        Assert.Equal(HttpStatusCode.OK, excluded.Status);
        Assert.Equal(HttpStatusCode.Forbidden, otherTarget.Status);
        Assert.Equal(HttpStatusCode.Forbidden, otherPath.Status);
        Assert.Equal(HttpStatusCode.Forbidden, otherMethod.Status);
        Assert.Null((await gateway.WaitForEventAsync(excluded.Id)).Waf);
    }

    [Fact]
    public async Task Exclusion_UnconditionalTag_RuleGoneEverywhere()
    {
        await using var upstream = RawHttpUpstream.Start(_ => RawReply.Of(Ok));
        await using var gateway = await TestGateway.StartAsync(Config(upstream.Url, "exclusions: [{ tags: [attack-sqli] }]"));
        using var client = gateway.CreateClient();

        var sqli = await SendAsync(client, HttpMethod.Get, "/search?q=" + Sqli);
        var xss = await SendAsync(client, HttpMethod.Get, "/search?q=%3Cscript%3Ealert(1)%3C/script%3E");

        Assert.Equal(HttpStatusCode.OK, sqli.Status);
        Assert.Equal(HttpStatusCode.Forbidden, xss.Status);
    }

    [Fact]
    public async Task AnomalyThreshold_Raised_SqlInjectionDetectedNotBlocked()
    {
        await using var upstream = RawHttpUpstream.Start(_ => RawReply.Of(Ok));
        await using var gateway = await TestGateway.StartAsync(Config(upstream.Url, "anomaly_threshold: { inbound: 1000 }"));
        using var client = gateway.CreateClient();

        var sqli = await SendAsync(client, HttpMethod.Get, "/search?q=" + Sqli);

        Assert.Equal(HttpStatusCode.OK, sqli.Status);
        var e = await gateway.WaitForEventAsync(sqli.Id);
        Assert.Equal("detected", e.Waf?.Action);
        Assert.Contains(e.Waf!.Matches, m => m.Id == 942100);
    }

    [Fact]
    public async Task DetectionParanoia_AboveBlocking_HigherLevelRulesLogWithoutBlocking()
    {
        await using var upstream = RawHttpUpstream.Start(_ => RawReply.Of(Ok));
        await using var pl1 = await TestGateway.StartAsync(Config(upstream.Url, "paranoia: 1"));
        await using var split = await TestGateway.StartAsync(Config(upstream.Url, "{ paranoia: 1, detection_paranoia: 3 }"));
        await using var pl3 = await TestGateway.StartAsync(Config(upstream.Url, "paranoia: 3"));
        // Many SQL special characters: benign at PL1, scored by CRS's PL2+ rules (942430, 942431, 942432).
        const string query = "/search?q=a%27b%27c%27d%27e%27f%27g%27h%27i%27j%27k%27l%27m%27n";

        using var c1 = pl1.CreateClient();
        using var c2 = split.CreateClient();
        using var c3 = pl3.CreateClient();
        var atPl1 = await SendAsync(c1, HttpMethod.Get, query);
        var atSplit = await SendAsync(c2, HttpMethod.Get, query);
        var atPl3 = await SendAsync(c3, HttpMethod.Get, query);

        Assert.Equal(HttpStatusCode.OK, atPl1.Status);
        Assert.Null((await pl1.WaitForEventAsync(atPl1.Id)).Waf);
        Assert.Equal(HttpStatusCode.Forbidden, atPl3.Status);
        Assert.Equal(HttpStatusCode.OK, atSplit.Status);
        var e = await split.WaitForEventAsync(atSplit.Id);
        Assert.Equal("detected", e.Waf?.Action);
        Assert.Contains(e.Waf!.Matches, m => m.Tags.Contains("paranoia-level/2") || m.Tags.Contains("paranoia-level/3"));
    }

    [Fact]
    public async Task NoCrs_BuiltInRules_BlockAttacksAndPassBenignTraffic()
    {
        await using var upstream = RawHttpUpstream.Start(_ => RawReply.Of(Ok));
        await using var gateway = await TestGateway.StartAsync($$"""
            listen: { https: "{https}", http: "{http}" }
            data_dir: "{data}"
            sites:
              - name: app
                hosts: [app.test]
                routes:
                  - path: /
                    upstreams: ["{{upstream.Url}}"]
            """);
        using var client = gateway.CreateClient();

        var sqli = await SendAsync(client, HttpMethod.Get, "/search?q=" + Sqli);
        var traversal = await SendAsync(client, HttpMethod.Get, "/download?file=..%2F..%2F..%2Fetc%2Fpasswd");
        var benign = await SendAsync(client, HttpMethod.Get, "/search?q=union+station+opening+hours&page=2");

        Assert.Equal(HttpStatusCode.Forbidden, sqli.Status);
        Assert.Equal(HttpStatusCode.Forbidden, traversal.Status);
        Assert.Equal(HttpStatusCode.OK, benign.Status);
        var e = await gateway.WaitForEventAsync(sqli.Id);
        Assert.Contains(e.Waf!.Matches, m => m.File.EndsWith("portcullis-builtin.conf", StringComparison.Ordinal));
    }
}
