using System.Text.RegularExpressions;
using Portcullis.Configuration;
using Portcullis.Tests.TestSupport;

namespace Portcullis.Tests.Docs;

/// <summary>Every YAML example in docs/limits.md and docs/configuration.md is accepted by the real config loader.</summary>
public sealed partial class LimitsDocsTests : IDisposable
{
    private const string MinimalSites = """

        sites:
          - name: shop
            hosts: [shop.example.com]
            routes: [{ path: /, upstreams: ["http://127.0.0.1:3000"] }]
        """;

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    public static TheoryData<string, int> Examples()
    {
        var data = new TheoryData<string, int>();
        foreach (var file in new[] { "docs/limits.md" })
        {
            var blocks = YamlBlock().Matches(File.ReadAllText(Path.Combine(RepositoryRoot(), file)));
            for (var i = 0; i < blocks.Count; i++)
            {
                data.Add(file, i);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Example_LoadsWithoutErrors(string file, int index)
    {
        var yaml = YamlBlock().Matches(File.ReadAllText(Path.Combine(RepositoryRoot(), file)))[index].Groups[1].Value;
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
        var text = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs/configuration.md"));
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

    [GeneratedRegex("```yaml\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex YamlBlock();

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Portcullis.slnx")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("Portcullis.slnx not found above the test binaries");
    }
}
