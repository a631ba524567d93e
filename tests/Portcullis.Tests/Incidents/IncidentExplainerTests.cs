using System.Text.Json;
using Portcullis.Incidents;
using static Portcullis.Tests.Incidents.IncidentSamples;

namespace Portcullis.Tests.Incidents;

public sealed class IncidentExplainerTests
{
    private static Incident Blocked() => IncidentFactory.Create(
        Event("3f2a0000000000000000000000000001", "POST", "/blog/comments", "page=2&token=abcd1234",
            [Match(942100, "ARGS:comment", "1' or '1'='1"), Threshold()]),
        "shop",
        [new("Host", "shop.test"), new("Cookie", "session=abcdef; prefs=dark"), new("User-Agent", "evil\u001b[31mred")],
        Scores(10));

    [Fact]
    public void Text_BlockedIncident_ShowsRequestVerdictMatchesHeadersAndSuggestion()
    {
        var text = IncidentExplainer.Text(Blocked());

        Assert.Contains("Incident 3f2a0000000000000000000000000001", text, StringComparison.Ordinal);
        Assert.Contains("when     2026-11-20 12:00:00.000 UTC", text, StringComparison.Ordinal);
        Assert.Contains("site     shop", text, StringComparison.Ordinal);
        Assert.Contains("client   203.0.113.7", text, StringComparison.Ordinal);
        Assert.Contains("request  POST /blog/comments?page=2&token=[redacted 8 bytes] HTTP/1.1", text, StringComparison.Ordinal);
        Assert.Contains("verdict  blocked with 403 by rule 949110 (mode block)", text, StringComparison.Ordinal);
        Assert.Contains("scores   inbound 10, outbound 0", text, StringComparison.Ordinal);
        Assert.Contains("942100  [CRITICAL] rule 942100 message", text, StringComparison.Ordinal);
        Assert.Contains("variable ARGS:comment", text, StringComparison.Ordinal);
        Assert.Contains("matched  '1' or '1'='1'", text, StringComparison.Ordinal);
        Assert.Contains("rule     REQUEST-942-APPLICATION-ATTACK-SQLI.conf:46 (phase 2)", text, StringComparison.Ordinal);
        Assert.Contains("tags     application-multi, attack-sqli", text, StringComparison.Ordinal);
        Assert.Contains("Cookie: session=[redacted 6 bytes]; prefs=[redacted 4 bytes]", text, StringComparison.Ordinal);
        Assert.Contains("    - rules: [942100]", text, StringComparison.Ordinal);
        Assert.Contains("      targets: [\"ARGS:comment\"]", text, StringComparison.Ordinal);
        Assert.DoesNotContain("abcdef", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_ControlCharactersFromTheRequest_Escaped()
    {
        var text = IncidentExplainer.Text(Blocked());

        Assert.Contains("User-Agent: evil\\x1b[31mred", text, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', text);
    }

    [Theory]
    [InlineData(true, "detected: would have been blocked in block mode")]
    [InlineData(false, "detected: rules matched, below the blocking threshold")]
    public void Text_DetectMode_SaysWhetherBlockModeWouldHaveBlocked(bool threshold, string expected)
    {
        List<Waf.Transactions.MatchedRule> matches = [Match(942100, "ARGS:q", "x")];
        if (threshold)
        {
            matches.Add(Threshold(disruptive: false));
        }
        var incident = IncidentFactory.Create(Event("d", "GET", "/", "q=x", matches, "detect", "detected"), "shop", [], Scores(5));

        Assert.Contains(expected, IncidentExplainer.Text(incident), StringComparison.Ordinal);
    }

    [Fact]
    public void Text_OnlyThresholdMatched_SaysNothingToSuggest()
    {
        var text = IncidentExplainer.Text(Incident("t", "GET", "/", Threshold()));

        Assert.Contains("Suggested exclusion: none", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_BlockedIncident_IncidentAndSuggestions()
    {
        using var document = JsonDocument.Parse(IncidentExplainer.Json(Blocked()));
        var root = document.RootElement;

        var incident = IncidentJson.Read(root.GetProperty("incident"));
        Assert.Equal("3f2a0000000000000000000000000001", incident.Id);
        Assert.Equal(2, incident.Matches.Count);
        var suggestion = Assert.Single(root.GetProperty("suggested_exclusions").EnumerateArray().ToList());
        Assert.Equal(942100, suggestion.GetProperty("rules")[0].GetInt32());
        Assert.Equal("ARGS:comment", suggestion.GetProperty("targets")[0].GetString());
        Assert.Equal("/blog/comments", suggestion.GetProperty("path").GetString());
        Assert.StartsWith("942100 matched ARGS:comment", suggestion.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("exclusions:\n", root.GetProperty("suggested_yaml").GetString(), StringComparison.Ordinal);
    }
}
