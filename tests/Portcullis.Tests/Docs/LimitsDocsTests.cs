using Portcullis.Configuration;
using Portcullis.Tests.TestSupport;

namespace Portcullis.Tests.Docs;

/// <summary>Every YAML example in docs/limits.md and docs/configuration.md is accepted by the real config loader.</summary>
public sealed class LimitsDocsTests : IDisposable
{
    private const string MinimalSites = """

        sites:
          - name: shop
            hosts: [shop.example.com]
            routes: [{ path: /, upstreams: ["http://127.0.0.1:3000"] }]
        """;

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    public static TheoryData<string, int> Examples() => DocExamples.Rows("docs/limits.md");

    [Theory]
    [MemberData(nameof(Examples))]
    public void Example_LoadsWithoutErrors(string file, int index)
    {
        var yaml = DocExamples.Block(file, index);
        if (!yaml.Contains("sites:", StringComparison.Ordinal))
        {
            yaml += MinimalSites;
        }

        var result = ConfigLoader.Parse(yaml, _dir.Combine("portcullis.yaml"));

        Assert.True(result.Succeeded, $"{file} example {index}:\n{yaml}\n{string.Join("\n", result.Errors)}");
    }

    [Fact]
    public void ConfigurationReference_SiteAndRouteExamples_NameOnlyKeysTheLoaderKnows()
    {
        // configuration.md shows sites and routes as fragments ("routes: [...]"); assemble one site from them.
        var text = DocExamples.Read("docs/configuration.md");
        var rateLine = text.Split('\n').Single(l => l.TrimStart().StartsWith("rate_limit: { rate: 5/m", StringComparison.Ordinal));
        var upstreamLine = text.Split('\n').Single(l => l.TrimStart().StartsWith("upstream_limit:", StringComparison.Ordinal));
        var yaml = $"""
            sites:
              - name: shop
                hosts: [shop.example.com]
                routes:
                  - path: /
                    upstreams: ["http://127.0.0.1:3000"]
                    {rateLine.Trim()}
                    {upstreamLine.Trim()}
            """;

        var result = ConfigLoader.Parse(yaml, _dir.Combine("portcullis.yaml"));

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
    }
}
