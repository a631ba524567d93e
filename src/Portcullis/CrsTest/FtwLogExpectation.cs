namespace Portcullis.CrsTest;

/// <summary><c>output.log</c>: what the WAF's log lines for this request must (not) show.</summary>
internal sealed record FtwLogExpectation
{
    /// <summary>Every id must appear as <c>[id "N"]</c> in some log line.</summary>
    public IReadOnlyList<uint> ExpectIds { get; init; } = [];

    /// <summary>None of these ids may appear.</summary>
    public IReadOnlyList<uint> NoExpectIds { get; init; } = [];

    /// <summary>Some log line must match this regular expression.</summary>
    public string? MatchRegex { get; init; }

    /// <summary>No log line may match this regular expression.</summary>
    public string? NoMatchRegex { get; init; }

    public bool IsEmpty => ExpectIds.Count == 0 && NoExpectIds.Count == 0 && MatchRegex is null && NoMatchRegex is null;
}
