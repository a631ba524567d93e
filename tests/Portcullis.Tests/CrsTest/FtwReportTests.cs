using System.Text.Json;
using Portcullis.CrsTest;

namespace Portcullis.Tests.CrsTest;

public sealed class FtwReportTests
{
    private static FtwTestResult Result(string file, uint test, FtwOutcome outcome, string? note = null) =>
        new(FtwTestIds.Format(920100, test), file, 920100, test, outcome, note,
            [new FtwStageResult(0, new FtwVerdict(outcome != FtwOutcome.Failed, outcome == FtwOutcome.Failed ? ["status 200, expected 400"] : [], [920100]),
                200, null, false)], TimeSpan.FromMilliseconds(1.5));

    private static readonly FtwRunResult Run = new(
    [
        Result("REQUEST-920/920100.yaml", 1, FtwOutcome.Passed),
        Result("REQUEST-920/920100.yaml", 2, FtwOutcome.Failed),
        Result("REQUEST-920/920100.yaml", 3, FtwOutcome.Overridden, "ignored: r"),
        Result("REQUEST-911/911100.yaml", 1, FtwOutcome.Passed),
    ]);

    [Fact]
    public void SummaryLine_Run_HasExactFormat()
    {
        Assert.Equal("crs-test: passed=2 failed=1 overridden=1 total=4", FtwReport.SummaryLine(Run));
    }

    [Fact]
    public void Render_Run_TablePerFileFailuresAndSummaryLast()
    {
        var lines = FtwReport.Render(Run).TrimEnd('\n').Split('\n');

        Assert.Equal("file                     passed  failed  overridden", lines[0]);
        Assert.Equal("REQUEST-911/911100.yaml       1       0           0", lines[1]);
        Assert.Equal("REQUEST-920/920100.yaml       1       1           1", lines[2]);
        Assert.Contains(lines, l => l.Contains("920100-2 (REQUEST-920/920100.yaml): stage 0: status 200, expected 400", StringComparison.Ordinal));
        Assert.Equal("crs-test: passed=2 failed=1 overridden=1 total=4", lines[^1]);
    }

    [Fact]
    public void Serialize_Run_JsonHoldsEveryTestAndStage()
    {
        using var json = JsonDocument.Parse(FtwJsonReport.Serialize(Run));
        var root = json.RootElement;

        Assert.Equal(4, root.GetProperty("total").GetInt32());
        Assert.Equal(1, root.GetProperty("failed").GetInt32());
        var failed = root.GetProperty("tests")[1];
        Assert.Equal("920100-2", failed.GetProperty("id").GetString());
        Assert.Equal("failed", failed.GetProperty("outcome").GetString());
        Assert.Equal(1.5, failed.GetProperty("duration_ms").GetDouble());
        var stage = failed.GetProperty("stages")[0];
        Assert.Equal("status 200, expected 400", stage.GetProperty("reasons")[0].GetString());
        Assert.Equal(920100u, stage.GetProperty("triggered_ids")[0].GetUInt32());
        Assert.Equal("ignored: r", root.GetProperty("tests")[2].GetProperty("note").GetString());
    }
}
