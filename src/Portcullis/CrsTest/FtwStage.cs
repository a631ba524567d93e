namespace Portcullis.CrsTest;

/// <summary>One request of a test and what its outcome must be.</summary>
/// <param name="TestId">The owning test's go-ftw name, <c>rule-test</c>, for logs and executors.</param>
/// <param name="Index">0-based, as go-ftw's override <c>stage_ids</c> count.</param>
internal sealed record FtwStage(string TestId, int Index, string? Description, FtwInput Input, FtwOutput Output);
