namespace Portcullis.CrsTest;

/// <summary>One go-ftw test: a rule id, a test id and its stages.</summary>
/// <param name="File">The test file, relative to the tests directory, with '/' separators.</param>
internal sealed record FtwTest(string File, uint RuleId, uint TestId, string? Description, IReadOnlyList<string> Tags,
    IReadOnlyList<FtwStage> Stages)
{
    /// <summary>go-ftw's identity for a test (<c>Test.IdString</c>), also what include/exclude patterns match.</summary>
    public string Id => FtwTestIds.Format(RuleId, TestId);
}
