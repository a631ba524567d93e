namespace Portcullis.CrsTest;

/// <summary>One <c>test_overrides</c> entry of a go-ftw platform overrides file.</summary>
/// <param name="TestIds">Empty: every test of the rule (the schema's rule; go-ftw itself then applies nothing).</param>
/// <param name="StageIds">0-based stage indexes, as go-ftw counts them; empty: every stage.</param>
/// <param name="Line">Where the entry starts in its file, for messages.</param>
internal sealed record FtwTestOverride(uint RuleId, IReadOnlyList<uint> TestIds, IReadOnlyList<uint> StageIds, string Reason,
    FtwOutput? Output, bool RetryOnce, bool ExpectFailure, int Line)
{
    public FtwOverrideKind Kind =>
        ExpectFailure ? FtwOverrideKind.ExpectFailure
        : Output is not null ? FtwOverrideKind.ReplaceOutput
        : RetryOnce ? FtwOverrideKind.RetryOnce
        : FtwOverrideKind.Ignore;

    public bool AppliesTo(FtwTest test) => test.RuleId == RuleId && (TestIds.Count == 0 || TestIds.Contains(test.TestId));

    public bool AppliesToStage(int index) => StageIds.Count == 0 || StageIds.Contains((uint)index);
}
