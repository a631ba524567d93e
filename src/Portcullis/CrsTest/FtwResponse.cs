namespace Portcullis.CrsTest;

/// <summary>
/// What came back for one request: a status, or the error that took its place (connection refused, timeout, a
/// connection closed before a complete response head, a malformed status line). <paramref name="RawHead"/> holds
/// the response head as received, <see cref="RawBody"/> whatever body bytes followed (still chunk-framed, if so).
/// </summary>
internal sealed record FtwResponse(int? Status, string? Error, byte[] RawHead)
{
    public byte[] RawBody { get; init; } = [];

    public static FtwResponse Failed(string error, byte[]? received = null) => new(null, error, received ?? []);
}
