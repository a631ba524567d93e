namespace Portcullis.CrsTest;

/// <summary>The JSON report's shape: the run, each test, each stage.</summary>
internal sealed record FtwJsonRun(int Passed, int Failed, int Overridden, int Total, IReadOnlyList<FtwJsonTest> Tests);

internal sealed record FtwJsonTest(string Id, string File, uint RuleId, uint TestId, string Outcome, string? Note,
    double DurationMs, IReadOnlyList<FtwJsonStage> Stages);

internal sealed record FtwJsonStage(int Index, bool Passed, IReadOnlyList<string> Reasons, int? Status, string? Error,
    IReadOnlyList<uint> TriggeredIds, bool Retried);
