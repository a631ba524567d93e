using System.Net;
using Portcullis.Configuration;
using Portcullis.Hosting;
using Portcullis.Tests.TestSupport;

namespace Portcullis.Tests.Firewall;

/// <summary>A rule file that does not load stops a start with file:line, and a reload keeps the running rules.</summary>
public sealed class FirewallRuleErrorTests
{
    private static string Config(string rulesFile, string upstream) => $$"""
        listen: { https: "{https}", http: "{http}" }
        data_dir: "{data}"
        waf:
          rules: ["{{rulesFile}}"]
        sites:
          - name: app
            hosts: [app.test]
            routes:
              - path: /
                upstreams: ["{{upstream}}"]
        """;

    [Fact]
    public async Task Start_RuleFileWithUnknownOperator_FailsWithFileLineAndReason()
    {
        using var dir = new TempDirectory();
        var rules = dir.Write("custom.conf", "# my rules\nSecRule ARGS \"@nosuch x\" \"id:1,phase:1,deny\"\n");

        var error = await Assert.ThrowsAsync<GatewayStartException>(() => TestGateway.StartAsync(Config(rules, "http://127.0.0.1:9"), dir));

        var message = Assert.Single(error.Errors);
        Assert.Contains($"{rules}:2: unknown operator '@nosuch'", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reload_RuleFileBroken_KeepsRunningRules()
    {
        await using var upstream = RawHttpUpstream.Start(_ => RawReply.Of("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
        using var dir = new TempDirectory();
        var rules = dir.Write("custom.conf", "SecRule ARGS:block \"@streq yes\" \"id:1,phase:1,deny,status:418\"\n");
        await using var gateway = await TestGateway.StartAsync(Config(rules, upstream.Url), dir);
        using var client = gateway.CreateClient();

        File.WriteAllText(rules, "SecRule ARGS:block \"@streq yes\" \"id:1,phase:1,deny,status:418,bogus\"\n");
        var errors = await gateway.Host.ReloadAsync(ConfigLoader.Parse(gateway.Expand(Config(rules, upstream.Url)), gateway.ConfigPath).Config!);
        using var response = await client.GetAsync(new Uri("https://app.test/?block=yes"));

        Assert.Contains(errors, e => e.Contains("action 'bogus' is not supported", StringComparison.Ordinal) && e.Contains($"{rules}:1", StringComparison.Ordinal));
        Assert.Equal((HttpStatusCode)418, response.StatusCode);
    }
}
