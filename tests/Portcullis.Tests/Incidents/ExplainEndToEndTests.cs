using System.Net;
using System.Text;
using System.Text.Json;
using Portcullis.Tests.CrsTest;
using Portcullis.Tests.TestSupport;

namespace Portcullis.Tests.Incidents;

/// <summary>
/// The tuning loop a user goes through, for real: CRS 4.28 blocks a legitimate rich-text field (a benign `hard`
/// entry of ../shared/attacks), `portcullis waf explain ID` says why and suggests an exclusion, the exclusion goes into
/// the site's config, and then that request passes while the same payload in another field is still blocked.
/// </summary>
public sealed class ExplainEndToEndTests
{
    private const string Ok = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok";

    private static string Config(string upstream, string siteWaf = "") => $$"""
        listen: { https: "{https}", http: "{http}" }
        data_dir: "{data}"
        waf:
          crs: "{{CrsTestsDirectory.Crs()}}"
        sites:
          - name: app
            hosts: [app.test]
            waf:
              mode: block
        {{siteWaf}}
            routes:
              - path: /
                upstreams: ["{{upstream}}"]
        """;

    [Fact]
    public async Task ExplainSuggestion_Applied_LetsTheRequestThroughAndKeepsTheRuleElsewhere()
    {
        await using var upstream = RawHttpUpstream.Start(_ => RawReply.Of(Ok));
        (string Path, string Param, string Payload, string Id)? blocked = null;
        string explain;
        await using (var gateway = await TestGateway.StartAsync(Config(upstream.Url)))
        {
            using var client = gateway.CreateClient();
            foreach (var entry in HardFormEntries().Take(60))
            {
                var (status, id) = await PostAsync(client, entry.Path, entry.Param, entry.Payload);
                if (status == HttpStatusCode.Forbidden)
                {
                    blocked = (entry.Path, entry.Param, entry.Payload, id);
                    break;
                }
            }
            Assert.True(blocked is not null, "CRS PL1 blocked none of the first 60 hard rich-text entries; the test needs one false positive");
            explain = await ExplainAsync(gateway.ConfigPath, blocked.Value.Id);
        }
        var (path, param, payload, incidentId) = blocked.Value;

        Assert.Contains($"Incident {incidentId}", explain, StringComparison.Ordinal);
        Assert.Contains($"ARGS:{param}", explain, StringComparison.Ordinal);
        var snippet = explain[explain.IndexOf("  exclusions:", StringComparison.Ordinal)..];
        var siteWaf = string.Join('\n', snippet.TrimEnd().Split('\n').Select(line => "    " + line));

        await using var tuned = await TestGateway.StartAsync(Config(upstream.Url, siteWaf));
        using var tunedClient = tuned.CreateClient();
        var same = await PostAsync(tunedClient, path, param, payload);
        var otherField = await PostAsync(tunedClient, path, "other_" + param, payload);
        var otherPath = await PostAsync(tunedClient, "/elsewhere" + path, param, payload);

        Assert.Equal(HttpStatusCode.OK, same.Status);
        Assert.Equal(HttpStatusCode.Forbidden, otherField.Status);
        Assert.Equal(HttpStatusCode.Forbidden, otherPath.Status);
    }

    /// <summary>The incident is written by a background batch: ask until it is there (as a user would, a moment later).</summary>
    private static async Task<string> ExplainAsync(string configPath, string id)
    {
        for (var attempt = 0; ; attempt++)
        {
            var (exitCode, stdout, stderr) = await PortcullisProcess.RunAsync(["waf", "explain", id, "--config", configPath], TimeSpan.FromSeconds(30));
            if (exitCode == 0)
            {
                return stdout;
            }
            Assert.True(attempt < 20 && !stderr.Contains("error(s)", StringComparison.Ordinal), $"waf explain {id} kept failing: {stderr}{stdout}");
            await Task.Delay(250);
        }
    }

    private static async Task<(HttpStatusCode Status, string Id)> PostAsync(HttpClient client, string path, string param, string payload)
    {
        using var content = new StringContent($"{param}={Uri.EscapeDataString(payload)}", Encoding.UTF8, "application/x-www-form-urlencoded");
        using var response = await client.PostAsync(new Uri("https://app.test" + path), content);
        return (response.StatusCode, response.Headers.GetValues("X-Request-Id").Single());
    }

    private static IEnumerable<(string Path, string Param, string Payload)> HardFormEntries()
    {
        var file = Path.Combine(Path.GetDirectoryName(CrsTestsDirectory.Crs())!, "attacks", "benign_synthetic.jsonl");
        foreach (var line in File.ReadLines(file))
        {
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            if (root.GetProperty("placement").GetString() == "form"
                && root.TryGetProperty("tags", out var tags) && tags.EnumerateArray().Any(t => t.GetString() == "hard")
                && root.TryGetProperty("path", out var p))
            {
                yield return (p.GetString()!, root.GetProperty("param").GetString()!, root.GetProperty("payload").GetString()!);
            }
        }
    }
}
