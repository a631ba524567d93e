namespace Portcullis.CrsTest;

/// <summary>A test as it will run after overrides: its stages with expectations replaced where an override says so.</summary>
/// <param name="Override">The override that applies (the last one listed, when several do), or null.</param>
internal sealed record FtwOverriddenTest(FtwTest Test, FtwTestOverride? Override)
{
    public bool Ignored => Override?.Kind == FtwOverrideKind.Ignore;

    public bool ExpectFailure => Override?.Kind == FtwOverrideKind.ExpectFailure;

    /// <summary>Whether the expectations the test is judged by came from an override.</summary>
    public bool Replaced => Override?.Kind == FtwOverrideKind.ReplaceOutput;
}
