using System.Text.Json;

namespace Portcullis.CrsTest;

/// <summary>The machine report of a run: the summary counts and every test with its stages, as JSON.</summary>
internal static class FtwJsonReport
{
    public static string Serialize(FtwRunResult result)
    {
        var document = new FtwJsonRun(result.Passed, result.Failed, result.Overridden, result.Total,
            [.. result.Tests.Select(t => new FtwJsonTest(t.Id, t.File, t.RuleId, t.TestId,
                t.Outcome.ToString().ToLowerInvariant(), t.Note, Math.Round(t.Duration.TotalMilliseconds, 3),
                [.. t.Stages.Select(s => new FtwJsonStage(s.Index, s.Verdict.Passed, s.Verdict.Reasons, s.Status, s.Error,
                    s.Verdict.TriggeredIds, s.Retried))]))]);
        return JsonSerializer.Serialize(document, FtwJsonContext.Default.FtwJsonRun);
    }
}
