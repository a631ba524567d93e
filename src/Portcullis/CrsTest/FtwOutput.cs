namespace Portcullis.CrsTest;

/// <summary><c>stage.output</c>: the expectations a stage is judged by (go-ftw's <c>checkResult</c>).</summary>
internal sealed record FtwOutput
{
    /// <summary>
    /// Acceptable response statuses; empty means "not checked" (go-ftw treats <c>status: 0</c> the same). Schema
    /// v2 writes one number; older test files wrote a list, which we still accept (any entry may match).
    /// </summary>
    public IReadOnlyList<int> Status { get; init; } = [];

    /// <summary>A regular expression the raw response (head and body) must match.</summary>
    public string? ResponseContains { get; init; }

    public FtwLogExpectation Log { get; init; } = new();

    /// <summary>The request must end in a connection error or timeout instead of a response.</summary>
    public bool ExpectError { get; init; }

    /// <summary>Run the stage a second time when it fails (go-ftw's workaround for late phase-5 log lines).</summary>
    public bool RetryOnce { get; init; }

    /// <summary>Exactly one rule may be logged, the single id in <see cref="FtwLogExpectation.ExpectIds"/>.</summary>
    public bool Isolated { get; init; }
}
