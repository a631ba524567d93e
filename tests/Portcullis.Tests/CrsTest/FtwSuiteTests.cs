using Portcullis.CrsTest;
using Portcullis.Tests.TestSupport;

namespace Portcullis.Tests.CrsTest;

public sealed class FtwSuiteTests
{
    private static readonly Lazy<FtwSuite> Crs = new(() => FtwSuite.Load(CrsTestsDirectory.Tests));

    [Fact]
    public void Load_CrsRegressionTests_Finds5003Tests()
    {
        Assert.Equal(5003, Crs.Value.Tests.Count);
        Assert.Equal(323, Crs.Value.Files.Count); // 322 *.yaml and REQUEST-999-COMMON-EXCEPTIONS-AFTER/999999.yml
    }

    [Fact]
    public void Load_CrsRegressionTests_EveryStageBuildsARequest()
    {
        var stages = Crs.Value.Tests.SelectMany(t => t.Stages).ToList();

        var requests = stages.Select(s => FtwRequestBuilder.Build(s.Input)).ToList();

        Assert.True(stages.Count >= 5003);
        Assert.All(requests, r => Assert.NotEmpty(r));
    }

    [Fact]
    public void Load_CommentsOnlyFile_HasNoTestsAndAWarning()
    {
        var file = Crs.Value.Files.Single(f => f.Path.EndsWith("/920539.yaml", StringComparison.Ordinal));

        Assert.Empty(file.Tests);
        Assert.Equal(920539u, file.RuleId);
        Assert.Contains(Crs.Value.Warnings, w => w.Contains("920539.yaml", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_RuleIdDiffersFromFileName_KeepsGoFtwNamesAndWarns()
    {
        var file = Crs.Value.Files.Single(f => f.Path.EndsWith("/933200.yaml", StringComparison.Ordinal));

        Assert.Equal(9331200u, file.RuleId);
        Assert.Equal("9331200-1", file.Tests[0].Id);
        Assert.Contains(Crs.Value.Warnings, w => w.Contains("933200.yaml: rule_id 9331200", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_TestOfRuleThatDoesNotExist_IsLoaded()
    {
        var test = Crs.Value.Tests.Single(t => t.Id == "944000-1");

        Assert.Equal([944000u], test.Stages[0].Output.Log.NoExpectIds);
    }

    [Fact]
    public void Load_920400_ExpandsRepeatTemplate()
    {
        var data = Crs.Value.Tests.Single(t => t.Id == "920400-2").Stages[0].Input.Data!;

        Assert.Contains("Content-Type: text/plain\n" + new string('1', 152) + "\n----------111111--", data, StringComparison.Ordinal);
        Assert.DoesNotContain("{{", data, StringComparison.Ordinal);
        Assert.Contains(new string('1', 64200), Crs.Value.Tests.Single(t => t.Id == "920400-1").Stages[0].Input.Data!, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_EncodedRequestWithLineBreaks_DecodesLikeGo()
    {
        var raw = Crs.Value.Tests.Single(t => t.Id == "920171-1").Stages[0].Input.EncodedRequest!;

        Assert.StartsWith("POST / HTTP/1.1\r\n", System.Text.Encoding.Latin1.GetString(raw), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_EmptyQuotedVersion_StaysEmpty()
    {
        var input = Crs.Value.Tests.Single(t => t.Id == "920430-5").Stages[0].Input;

        Assert.Equal("", input.Version);
        Assert.True(Crs.Value.Tests.Single(t => t.Id == "920430-5").Stages[0].Output.ExpectError);
    }

    [Fact]
    public void Load_UnknownKey_ThrowsNamingFileAndLine()
    {
        using var dir = new TempDirectory();
        dir.Write("100.yaml", """
            rule_id: 100
            tests:
              - test_id: 1
                stages:
                  - input:
                      heders: { Host: localhost }
            """);

        var error = Assert.Throws<FtwLoadException>(() => FtwSuite.Load(dir.Path));

        var single = Assert.Single(error.Errors);
        Assert.Equal("100.yaml", single.File);
        Assert.Equal(6, single.Line);
        Assert.Contains("unknown key 'heders'", single.Message, StringComparison.Ordinal);
        Assert.Contains("Did you mean 'headers'?", single.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("data: '{{ nope }}'", "unsupported template action")]
    [InlineData("data: a\n          encoded_request: R0VU", "must not be set together")]
    [InlineData("headers: { Host: a, Host: b }", "")]
    [InlineData("port: many", "expected a whole number")]
    [InlineData("encoded_request: '!!!'", "not valid base64")]
    public void Load_InvalidInput_Throws(string inputLine, string message)
    {
        using var dir = new TempDirectory();
        dir.Write("100.yaml", $"""
            rule_id: 100
            tests:
              - stages:
                  - input:
                      {inputLine}
            """);

        var error = Assert.Throws<FtwLoadException>(() => FtwSuite.Load(dir.Path));

        Assert.Contains(error.Errors, e => e.Message.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void Load_InvalidMatchRegex_Throws()
    {
        using var dir = new TempDirectory();
        dir.Write("100.yaml", "rule_id: 100\ntests:\n  - stages:\n      - output:\n          log:\n            match_regex: '(unclosed'\n");

        var error = Assert.Throws<FtwLoadException>(() => FtwSuite.Load(dir.Path));

        Assert.Contains("not a valid regular expression", Assert.Single(error.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_DefaultsAndDeprecatedFields_ResolvedAsGoFtwDoes()
    {
        using var dir = new TempDirectory();
        dir.Write("920100.yaml", """
            tests:
              - stages:
                  - input: { stop_magic: true }
                    output: { log_contains: 'id "1"', status: [200, 403] }
              - test_id: 7
                stages:
                  - input: { autocomplete_headers: true, stop_magic: true }
                    output: { status: 0 }
            """);

        var suite = FtwSuite.Load(dir.Path);

        var (first, second) = (suite.Tests[0], suite.Tests[1]);
        Assert.Equal("920100-1", first.Id);
        Assert.False(first.Stages[0].Input.AutocompleteHeaders);
        Assert.Equal("id \"1\"", first.Stages[0].Output.Log.MatchRegex);
        Assert.Equal([200, 403], first.Stages[0].Output.Status);
        Assert.Equal("920100-7", second.Id);
        Assert.True(second.Stages[0].Input.AutocompleteHeaders);
        Assert.Empty(second.Stages[0].Output.Status);
    }

    [Fact]
    public void Load_HeaderMap_IsSortedByName()
    {
        using var dir = new TempDirectory();
        dir.Write("1.yaml", "tests:\n  - stages:\n      - input:\n          headers: { User-Agent: u, Host: h, Accept: a, accept-language: l }\n");

        var headers = FtwSuite.Load(dir.Path).Tests[0].Stages[0].Input.Headers;

        Assert.Equal(["Accept", "Host", "User-Agent", "accept-language"], headers.Select(h => h.Name));
    }

    [Fact]
    public void Load_OrderedHeaders_KeepOrderAndRepetitions()
    {
        using var dir = new TempDirectory();
        dir.Write("1.yaml", "tests:\n  - stages:\n      - input:\n          ordered_headers:\n            - { name: Host, value: b }\n            - { name: Accept, value: x }\n            - { name: Host, value: a }\n");

        var headers = FtwSuite.Load(dir.Path).Tests[0].Stages[0].Input.Headers;

        Assert.Equal([new FtwHeader("Host", "b"), new FtwHeader("Accept", "x"), new FtwHeader("Host", "a")], headers);
    }
}
