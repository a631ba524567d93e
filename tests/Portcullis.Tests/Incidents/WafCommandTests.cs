using System.Text.Json;
using Portcullis.Incidents;
using Portcullis.Tests.TestSupport;
using static Portcullis.Tests.Incidents.IncidentSamples;

namespace Portcullis.Tests.Incidents;

/// <summary>
/// <c>portcullis waf explain</c> and <c>waf report</c> run as the real program (<c>dotnet portcullis.dll</c>), as
/// the CLI tests do, against an incident file written by the store.
/// </summary>
public sealed class WafCommandTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Explain_KnownId_PrintsIncidentAndExits0()
    {
        var config = await WriteIncidentsAsync(Incident("3f2a0000000000000000000000000001", "POST", "/blog/comments", Match(942100, "ARGS:comment", "1' or 1=1"), Threshold()));

        var result = await RunAsync(["waf", "explain", "3f2a0000000000000000000000000001", "--config", config]);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Incident 3f2a0000000000000000000000000001", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("942100", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("targets: [\"ARGS:comment\"]", result.Stdout, StringComparison.Ordinal);
        Assert.Equal("", result.Stderr);
    }

    [Fact]
    public async Task Explain_WhileAnotherProcessHoldsTheStoreOpen_ReadsIt()
    {
        // The gateway keeps its store open (and writing) while an operator runs the CLI in another process.
        using var store = IncidentStore.Open(IncidentStoreOptions.ForDataDir(_dir.Combine("data")) with { MaxAge = TimeSpan.FromDays(3650) });
        store.Add(Incident("live", "GET", "/q", Match(941100, "ARGS:q", "<script>")));
        await store.FlushAsync();
        var config = _dir.Write("portcullis.yaml", Config());

        var result = await RunAsync(["waf", "explain", "live", "--config", config]);
        store.Add(Incident("after", "GET", "/q", Match(941100, "ARGS:q", "<script>")));
        await store.FlushAsync();

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Incident live", result.Stdout, StringComparison.Ordinal);
        Assert.NotNull(store.Find("after"));
    }

    [Fact]
    public async Task Explain_Json_ParsesAndExits0()
    {
        var config = await WriteIncidentsAsync(Incident("abc", "GET", "/q", Match(941100, "ARGS:q", "<script>")));

        var result = await RunAsync(["waf", "explain", "abc", "--json", "--config", config]);

        Assert.Equal(0, result.ExitCode);
        using var document = JsonDocument.Parse(result.Stdout);
        Assert.Equal("abc", document.RootElement.GetProperty("incident").GetProperty("id").GetString());
        Assert.Equal("ARGS:q", document.RootElement.GetProperty("suggested_exclusions")[0].GetProperty("targets")[0].GetString());
    }

    [Fact]
    public async Task Explain_UnknownId_Exits1WithClearMessage()
    {
        var config = await WriteIncidentsAsync(Incident("abc", "GET", "/q", Match(941100, "ARGS:q", "<script>")));

        var result = await RunAsync(["waf", "explain", "ffff", "--config", config]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("no incident 'ffff'", result.Stderr, StringComparison.Ordinal);
        Assert.Equal("", result.Stdout);
    }

    [Fact]
    public async Task Explain_NoIncidentFile_Exits1()
    {
        var config = _dir.Write("portcullis.yaml", Config());

        var result = await RunAsync(["waf", "explain", "abc", "--config", config]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("no incidents recorded yet", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_RecentIncidents_CountsThemAndExits0()
    {
        var now = DateTimeOffset.UtcNow;
        var config = await WriteIncidentsAsync(
            At(Incident("r1", "POST", "/blog/comments", Match(942100, "ARGS:comment", "x"), Threshold()), now.AddMinutes(-30)),
            At(Incident("r2", "POST", "/blog/comments", Match(942100, "ARGS:comment", "y"), Threshold()), now.AddHours(-2)),
            At(Incident("old", "GET", "/old", Match(941100, "ARGS:q", "z"), Threshold()), now.AddDays(-3)));

        var day = await RunAsync(["waf", "report", "--config", config]);
        var hour = await RunAsync(["waf", "report", "--since", "90m", "--json", "--config", config]);

        Assert.Equal(0, day.ExitCode);
        Assert.Contains("  incidents        2\n", day.Stdout, StringComparison.Ordinal);
        Assert.Contains("targets: [\"ARGS:comment\"]", day.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("/old", day.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, hour.ExitCode);
        using var document = JsonDocument.Parse(hour.Stdout);
        Assert.Equal(1, document.RootElement.GetProperty("incidents").GetInt32());
    }

    [Theory]
    [InlineData("yesterday")]
    [InlineData("0s")]
    public async Task Report_BadSince_Exits2(string since)
    {
        var config = _dir.Write("portcullis.yaml", Config());

        var result = await RunAsync(["waf", "report", "--since", since, "--config", config]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--since", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Explain_BadConfig_Exits2()
    {
        var config = _dir.Write("bad.yaml", "bogus: 1\n");

        var result = await RunAsync(["waf", "explain", "abc", "--config", config]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("no data_dir", result.Stderr, StringComparison.Ordinal);
    }

    private async Task<string> WriteIncidentsAsync(params Incident[] incidents)
    {
        using (var store = IncidentStore.Open(IncidentStoreOptions.ForDataDir(_dir.Combine("data")) with { MaxAge = TimeSpan.FromDays(3650) }))
        {
            foreach (var incident in incidents)
            {
                store.Add(incident);
            }
            await store.FlushAsync();
        }
        return _dir.Write("portcullis.yaml", Config());
    }

    private string Config() => $$"""
        listen: { https: "127.0.0.1:{{TestPorts.GetFree()}}", http: off }
        data_dir: "{{_dir.Combine("data")}}"
        sites:
          - name: shop
            hosts: [shop.test]
            routes:
              - path: /
                upstreams: ["http://127.0.0.1:9"]
        """;

    private static Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string[] args) => PortcullisProcess.RunAsync(args, Deadline);
}
