using System.Text.Json;
using Portcullis.Incidents;
using static Portcullis.Tests.Incidents.IncidentSamples;

namespace Portcullis.Tests.Incidents;

public sealed class WafReportTests
{
    /// <summary>Five blocks on /blog/comments (942100 on the comment field), one detect-mode would-block, one detect-only.</summary>
    private static List<Incident> Sample()
    {
        var incidents = Enumerable.Range(0, 5)
            .Select(i => Incident($"b{i}", "POST", "/blog/comments", Match(942100, "ARGS:comment", $"it's {i}"), Match(942100, "ARGS:comment", "again"), Threshold()))
            .ToList();
        incidents.Add(Incident("b5", "GET", "/search", Match(941100, "ARGS:q", "<script>"), Threshold()));
        incidents.Add(IncidentFactory.Create(Event("w", "GET", "/search", "", [Match(941100, "ARGS:q", "<svg>"), Threshold(disruptive: false)], "detect", "detected"), "shop", [], Scores(5)));
        incidents.Add(IncidentFactory.Create(Event("x", "GET", "/about", "", [Match(920350, "REQUEST_HEADERS:Host", "1.2.3.4")], "detect", "detected"), "shop", [], Scores(3)));
        return incidents;
    }

    [Fact]
    public void Build_Sample_CountsAndTopLists()
    {
        var report = WafReport.Build(Sample(), Noon.AddDays(-1), Noon);

        Assert.Equal((8, 6, 1, 1), (report.Total, report.Blocked, report.WouldBlock, report.DetectedOnly));
        Assert.Equal([("942100", 5), ("941100", 2), ("920350", 1)], report.TopRules.Select(r => (r.Key, r.Count)));
        Assert.Equal([("/blog/comments", 5), ("/search", 2), ("/about", 1)], report.TopPaths.Select(r => (r.Key, r.Count)));
        Assert.Equal("942100 ARGS:comment", report.TopTargets[0].Key);
        Assert.Equal(5, report.TopTargets[0].Count);
        Assert.DoesNotContain(report.TopRules, r => r.Key == "949110");
    }

    [Fact]
    public void Build_Sample_SuggestsTheMostFrequentGroupFirst()
    {
        var report = WafReport.Build(Sample(), Noon.AddDays(-1), Noon);

        var top = report.Suggestions[0];
        Assert.Equal(("shop", 5), (top.Site, top.Count));
        Assert.Equal([942100], top.Exclusion.Rules);
        Assert.Equal(["ARGS:comment"], top.Exclusion.Targets);
        Assert.Equal("/blog/comments", top.Exclusion.Path);
        Assert.Equal(["POST"], top.Exclusion.Methods);
        Assert.StartsWith("5 incident(s): 942100 matched ARGS:comment", top.Exclusion.Reason, StringComparison.Ordinal);
        Assert.Equal(2, report.Suggestions[1].Count);
    }

    [Fact]
    public void Build_NoIncidents_ZeroesAndEmptyLists()
    {
        var report = WafReport.Build([], Noon.AddDays(-1), Noon);

        Assert.Equal(0, report.Total);
        Assert.Empty(report.TopRules);
        Assert.Empty(report.Suggestions);
        Assert.Contains("Top rules (anomaly-evaluation rules left out):\n  (none)", WafReportRenderer.Text(report), StringComparison.Ordinal);
    }

    [Fact]
    public void Text_Sample_RendersCountsListsAndYaml()
    {
        var text = WafReportRenderer.Text(WafReport.Build(Sample(), Noon.AddDays(-1), Noon));

        Assert.Contains("WAF report 2026-11-19T12:00:00Z .. 2026-11-20T12:00:00Z", text, StringComparison.Ordinal);
        Assert.Contains("  blocked          6\n", text, StringComparison.Ordinal);
        Assert.Contains("  would be blocked 1 (detect mode)\n", text, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^\s+5\s+942100\s+rule 942100 message$", text);
        Assert.Matches(@"(?m)^\s+5\s+/blog/comments$", text);
        Assert.Contains("  site 'shop', under waf:\n    exclusions:\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_Sample_MachineReadable()
    {
        using var document = JsonDocument.Parse(WafReportRenderer.Json(WafReport.Build(Sample(), Noon.AddDays(-1), Noon)));
        var root = document.RootElement;

        Assert.Equal(8, root.GetProperty("incidents").GetInt32());
        Assert.Equal(6, root.GetProperty("blocked").GetInt32());
        Assert.Equal(1, root.GetProperty("would_block").GetInt32());
        Assert.Equal("942100", root.GetProperty("top_rules")[0].GetProperty("key").GetString());
        var suggestion = root.GetProperty("suggestions")[0];
        Assert.Equal(5, suggestion.GetProperty("incidents").GetInt32());
        Assert.Equal("ARGS:comment", suggestion.GetProperty("exclusion")[0].GetProperty("targets")[0].GetString());
    }

    [Fact]
    public void Build_RulesOnTheSameTargetAndPath_ShareOneSuggestion()
    {
        List<Incident> incidents =
        [
            Incident("s1", "POST", "/blog", Match(942100, "ARGS:comment", "a"), Match(942200, "ARGS:comment", "b"), Threshold()),
            Incident("s2", "PUT", "/blog", Match(942100, "ARGS:comment", "c"), Threshold()),
        ];

        var report = WafReport.Build(incidents, Noon.AddDays(-1), Noon);

        var suggestion = Assert.Single(report.Suggestions);
        Assert.Equal(2, suggestion.Count);
        Assert.Equal([942100, 942200], suggestion.Exclusion.Rules);
        Assert.Equal(["POST", "PUT"], suggestion.Exclusion.Methods);
        Assert.Contains("942200 matched ARGS:comment = 'b'", suggestion.Exclusion.Reason, StringComparison.Ordinal);
    }
}
