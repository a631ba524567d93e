namespace Portcullis.CrsTest;

/// <summary>The judgement of one stage: pass or fail, every reason it failed, and the rule ids the log showed.</summary>
internal sealed record FtwVerdict(bool Passed, IReadOnlyList<string> Reasons, IReadOnlyList<uint> TriggeredIds)
{
    public override string ToString() => Passed ? "passed" : "failed: " + string.Join("; ", Reasons);
}
