using Portcullis.CrsTest;

namespace Portcullis.Tests.CrsTest;

public sealed class FtwOverridesTests
{
    private static FtwTest Test(uint rule, uint id, int stages = 1) =>
        new("x.yaml", rule, id, null, [], [.. Enumerable.Range(0, stages).Select(i => new FtwStage(FtwTestIds.Format(rule, id), i, null,
            new FtwInput(), new FtwOutput { Log = new FtwLogExpectation { ExpectIds = [rule] } }))]);

    [Theory]
    [InlineData("coraza-overrides.yaml", "coraza", 9)]
    [InlineData("httpd-overrides.yaml", "ModSecurity v2", 2)]
    [InlineData("nginx-overrides.yaml", "libmodsecurity3", 0)]
    public void Load_CrsOverrideFiles_ReadsMetaAndEntries(string file, string engine, int minimumEntries)
    {
        var overrides = FtwOverrides.Load(Path.Combine(CrsTestsDirectory.Regression, file));

        Assert.Equal(engine, overrides.Engine);
        Assert.True(overrides.Entries.Count >= minimumEntries);
        Assert.Equal("CRS test suite", overrides.Annotations["purpose"]);
        Assert.All(overrides.Entries, e => Assert.False(string.IsNullOrWhiteSpace(e.Reason)));
    }

    [Fact]
    public void Apply_HttpdOverride_ReplacesWholeOutput()
    {
        var overrides = FtwOverrides.Load(Path.Combine(CrsTestsDirectory.Regression, "httpd-overrides.yaml"));

        var applied = overrides.Apply(Test(920360, 1));

        Assert.True(applied.Replaced);
        var output = applied.Test.Stages[0].Output;
        Assert.Equal([200], output.Status);
        Assert.Equal([920360u], output.Log.NoExpectIds);
        Assert.Empty(output.Log.ExpectIds);
        Assert.Null(overrides.Apply(Test(920360, 2)).Override);
    }

    [Fact]
    public void Apply_EntryWithoutOutput_IgnoresTest()
    {
        var overrides = FtwOverrides.Parse("test_overrides:\n  - rule_id: 1\n    test_ids: [2]\n    reason: wip\n", "o.yaml");

        Assert.True(overrides.Apply(Test(1, 2)).Ignored);
        Assert.Null(overrides.Apply(Test(1, 3)).Override);
    }

    [Fact]
    public void Apply_NoTestIds_AppliesToEveryTestOfTheRule()
    {
        var overrides = FtwOverrides.Parse("test_overrides:\n  - rule_id: 1\n    reason: all\n    output: { status: 400 }\n", "o.yaml");

        Assert.True(overrides.Apply(Test(1, 7)).Replaced);
        Assert.Null(overrides.Apply(Test(2, 7)).Override);
    }

    [Fact]
    public void Apply_StageIds_ReplaceOnlyThoseZeroBasedStages()
    {
        var overrides = FtwOverrides.Parse("test_overrides:\n  - rule_id: 1\n    stage_ids: [1]\n    reason: r\n    output: { status: 400 }\n", "o.yaml");

        var stages = overrides.Apply(Test(1, 1, stages: 3)).Test.Stages;

        Assert.Equal([[], [400], []], stages.Select(s => s.Output.Status.ToArray()));
    }

    [Fact]
    public void Apply_SeveralEntries_LastOneWins()
    {
        var overrides = FtwOverrides.Parse("""
            test_overrides:
              - { rule_id: 1, reason: first, output: { status: 400 } }
              - { rule_id: 1, test_ids: [1], reason: second, expect_failure: true }
            """, "o.yaml");

        var applied = overrides.Apply(Test(1, 1));

        Assert.True(applied.ExpectFailure);
        Assert.Equal("second", applied.Override!.Reason);
    }

    [Theory]
    [InlineData("test_overrides:\n  - rule_id: 1\n    test_ids: [1]\n", "'reason' is required")]
    [InlineData("test_overrides:\n  - test_ids: [1]\n    reason: r\n", "'rule_id' is required")]
    [InlineData("test_overrides:\n  - rule_id: 1\n    reason: r\n    outptu: {}\n", "unknown key 'outptu'")]
    [InlineData("test_overrides:\n  - rule_id: 1\n    reason: r\n    output: { staus: 200 }\n", "unknown key 'staus'")]
    [InlineData("test_overrides:\n  - rule_id: 1\n    reason: r\n    expect_failure: true\n    output: {}\n", "drop 'output'")]
    [InlineData("metta: {}\n", "unknown key 'metta'")]
    public void Parse_InvalidEntry_ThrowsNamingTheProblem(string yaml, string message)
    {
        var error = Assert.Throws<FtwLoadException>(() => FtwOverrides.Parse(yaml, "o.yaml"));

        Assert.Contains(error.Errors, e => e.Message.Contains(message, StringComparison.Ordinal) && e.File == "o.yaml");
    }
}
