namespace Portcullis.CrsTest;

/// <summary>One test's result.</summary>
/// <param name="Note">Why it is overridden (the override's reason), or other context for the reader.</param>
internal sealed record FtwTestResult(string Id, string File, uint RuleId, uint TestId, FtwOutcome Outcome, string? Note,
    IReadOnlyList<FtwStageResult> Stages, TimeSpan Duration)
{
    /// <summary>The reasons of every failed stage.</summary>
    public IEnumerable<string> FailureReasons =>
        Stages.Where(s => !s.Verdict.Passed).SelectMany(s => s.Verdict.Reasons.Select(r => $"stage {s.Index}: {r}"));
}
