namespace Portcullis.CrsTest;

/// <summary>
/// <c>input.response</c> (schema v2.3.0): the answer a test wants the backend to give. Only albedo supports it, and
/// the CRS tests reach albedo's <c>/reflect</c> through <c>data</c> instead, so the runner carries it without using it.
/// </summary>
internal sealed record FtwBackendResponse
{
    public IReadOnlyList<FtwHeader> Headers { get; init; } = [];

    /// <summary>0 means albedo's default, 200.</summary>
    public int Status { get; init; }

    public string? Body { get; init; }

    public byte[]? EncodedBody { get; init; }

    public string? LogMessage { get; init; }
}
