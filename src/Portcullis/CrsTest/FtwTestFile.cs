namespace Portcullis.CrsTest;

/// <summary>One YAML test file: the rule it targets and its tests.</summary>
/// <param name="Path">Relative to the tests directory, with '/' separators.</param>
internal sealed record FtwTestFile(string Path, uint RuleId, FtwFileMeta Meta, IReadOnlyList<FtwTest> Tests);
