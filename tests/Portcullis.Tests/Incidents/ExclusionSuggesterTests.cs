using Portcullis.Incidents;
using YamlDotNet.RepresentationModel;
using static Portcullis.Tests.Incidents.IncidentSamples;

namespace Portcullis.Tests.Incidents;

public sealed class ExclusionSuggesterTests
{
    [Theory]
    [InlineData("ARGS:comment", "ARGS:comment")]
    [InlineData("ARGS_POST:comment", "ARGS_POST:comment")]
    [InlineData("ARGS_NAMES:x", "ARGS_NAMES:x")]
    [InlineData("REQUEST_COOKIES:prefs", "REQUEST_COOKIES:prefs")]
    [InlineData("REQUEST_HEADERS:User-Agent", "REQUEST_HEADERS:User-Agent")]
    [InlineData("ARGS:json.a.b", "ARGS:json.a.b")]
    [InlineData("FILES_NAMES:upload", "FILES_NAMES:upload")]
    [InlineData("REQUEST_URI", null)]
    [InlineData("REQUEST_FILENAME", null)]
    [InlineData("REQUEST_LINE", null)]
    [InlineData("REQUEST_BODY", null)]
    [InlineData("TX:0", null)]
    [InlineData("ARGS:", null)]
    [InlineData("", null)]
    public void Narrow_Variable_ExactTargetOrNone(string variable, string? expected) => Assert.Equal(expected, ExclusionTarget.Narrow(variable));

    [Fact]
    public void Suggest_RulesSharingATarget_OneEntryForPathAndMethod()
    {
        var incident = Incident("a", "POST", "/blog/comments",
            Match(942100, "ARGS:comment", "1' or 1=1"), Match(942200, "ARGS:comment", "' or"), Threshold());

        var entry = Assert.Single(ExclusionSuggester.Suggest(incident));

        Assert.Equal([942100, 942200], entry.Rules);
        Assert.Equal(["ARGS:comment"], entry.Targets);
        Assert.Equal("/blog/comments", entry.Path);
        Assert.Equal(["POST"], entry.Methods);
        Assert.StartsWith("942100 matched ARGS:comment = '1' or 1=1'", entry.Reason, StringComparison.Ordinal);
        Assert.Contains("942200 matched ARGS:comment", entry.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Suggest_DifferentTargets_EntryPerRuleSetTargetsMerged()
    {
        var incident = Incident("b", "GET", "/search",
            Match(942100, "ARGS:q", "x"), Match(942100, "ARGS:q2", "y"), Match(941100, "REQUEST_COOKIES:prefs", "<script>"),
            Match(920320, "REQUEST_HEADERS:User-Agent", "sqlmap"), Match(942100, "ARGS:q", "again"));

        var entries = ExclusionSuggester.Suggest(incident);

        Assert.Equal(3, entries.Count);
        Assert.Equal([[942100], [941100], [920320]], entries.Select(e => e.Rules.ToArray()));
        Assert.Equal([["ARGS:q", "ARGS:q2"], ["REQUEST_COOKIES:prefs"], ["REQUEST_HEADERS:User-Agent"]], entries.Select(e => e.Targets.ToArray()));
    }

    [Fact]
    public void Suggest_NoNarrowerTarget_RuleRemovedOnPathOnly()
    {
        var incident = Incident("c", "GET", "/files/..%2fetc",
            Match(930100, "REQUEST_URI", "/files/../etc"), Match(930110, "REQUEST_FILENAME", "/files/../etc"), Match(942100, "ARGS:id", "1 or 1"));

        var entries = ExclusionSuggester.Suggest(incident);

        Assert.Equal(2, entries.Count);
        Assert.Equal(["ARGS:id"], entries[0].Targets);
        var whole = entries[1];
        Assert.Equal([930100, 930110], whole.Rules);
        Assert.Empty(whole.Targets);
        Assert.Equal("/files/..%2fetc", whole.Path);
        Assert.Contains("no narrower target", whole.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Suggest_RuleWithBothKinds_OnlyTheWholeRuleRemoval()
    {
        var incident = Incident("d", "GET", "/", Match(932100, "ARGS:cmd", "ls"), Match(932100, "REQUEST_LINE", "GET /?cmd=ls"));

        var entry = Assert.Single(ExclusionSuggester.Suggest(incident));

        Assert.Equal([932100], entry.Rules);
        Assert.Empty(entry.Targets);
    }

    [Fact]
    public void Suggest_OnlyAnomalyEvaluation_Nothing()
    {
        var tagged = Match(999001, "TX:score", "7", tags: ["anomaly-evaluation"]);
        var correlation = Match(980170, "TX:ANOMALY_SCORE", "10");

        Assert.Empty(ExclusionSuggester.Suggest(Incident("e", "GET", "/", Threshold(), tagged, correlation)));
    }

    [Fact]
    public void Render_Suggestions_ParseAsTheConfigFormat()
    {
        var incident = Incident("f", "POST", "/blog/comments",
            Match(942100, "ARGS:comment", "1' or 1=1"), Match(942200, "ARGS:comment", "x"),
            Match(941100, "ARGS:json.a.b", "<svg onload=x>"), Match(930100, "REQUEST_URI", "/x"));

        var yaml = ExclusionYaml.Render(ExclusionSuggester.Suggest(incident));

        var list = (YamlSequenceNode)Load(yaml)["exclusions"];
        Assert.Equal(3, list.Children.Count);
        var first = (YamlMappingNode)list.Children[0];
        Assert.Equal(["942100", "942200"], Scalars(first["rules"]));
        Assert.Equal(["ARGS:comment"], Scalars(first["targets"]));
        Assert.Equal("/blog/comments", ((YamlScalarNode)first["path"]).Value);
        Assert.Equal(["POST"], Scalars(first["methods"]));
        Assert.Equal(["ARGS:json.a.b"], Scalars(((YamlMappingNode)list.Children[1])["targets"]));
        Assert.False(((YamlMappingNode)list.Children[2]).Children.ContainsKey("targets"));
        Assert.Contains("# 942100 matched ARGS:comment = '1' or 1=1'", yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_HostileNamesAndPath_EscapedAndReadBackAsTheSameBytes()
    {
        // A name crafted to break out of the YAML (quote, newline, a fake entry) and a non-ASCII byte.
        var name = "ARGS:x\"]\n  - rules: [1]\\ caf\u00e9";
        var incident = Incident("g", "GET", "/a\"b\n#c", Match(942100, name, "v\n- rules: [2]"));

        var yaml = ExclusionYaml.Render(ExclusionSuggester.Suggest(incident));

        var entry = (YamlMappingNode)Assert.Single(((YamlSequenceNode)Load(yaml)["exclusions"]).Children);
        Assert.Equal([name], Scalars(entry["targets"]));
        Assert.Equal("/a\"b\n#c", ((YamlScalarNode)entry["path"]).Value);
        Assert.Equal(["942100"], Scalars(entry["rules"]));
        Assert.All(yaml, c => Assert.True(c is '\n' or (>= ' ' and <= '~'), $"unprintable char {(int)c}"));
    }

    private static YamlMappingNode Load(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static List<string?> Scalars(YamlNode node) => [.. ((YamlSequenceNode)node).Children.Select(c => ((YamlScalarNode)c).Value)];
}
