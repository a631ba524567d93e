namespace Portcullis.CrsTest;

/// <summary>All test results of a run, with the counts the summary line prints.</summary>
internal sealed record FtwRunResult(IReadOnlyList<FtwTestResult> Tests)
{
    public int Passed => Tests.Count(t => t.Outcome == FtwOutcome.Passed);

    public int Failed => Tests.Count(t => t.Outcome == FtwOutcome.Failed);

    public int Overridden => Tests.Count(t => t.Outcome == FtwOutcome.Overridden);

    public int Total => Tests.Count;
}
