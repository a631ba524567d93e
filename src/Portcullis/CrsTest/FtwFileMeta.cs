namespace Portcullis.CrsTest;

/// <summary>A test file's <c>meta</c> block; informative only (<c>enabled</c> is deprecated and ignored by go-ftw).</summary>
internal sealed record FtwFileMeta(string? Author, string? Name, string? Description, string? Version, bool? Enabled,
    IReadOnlyList<string> Tags);
