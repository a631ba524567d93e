namespace Portcullis.CrsTest;

/// <summary>Timeouts and bounds of <see cref="FtwClient"/>.</summary>
internal sealed record FtwClientOptions
{
    /// <summary>go-ftw's default connect timeout (<c>ftwhttp.NewClientConfig</c>).</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// How long to wait for the response head after sending. go-ftw defaults to 1 s; we allow 10 s because the first
    /// requests of a run pay for JIT compilation of the rule set, which must not read as "no response".
    /// </summary>
    public TimeSpan ReadTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Once the head is in, how long more body bytes are awaited before the body is taken as it is.</summary>
    public TimeSpan BodyTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>A response head larger than this is an error (Go's default MaxHeaderBytes is 1 MiB; heads here are small).</summary>
    public int MaxHeadBytes { get; init; } = 64 * 1024;

    /// <summary>Body bytes kept for <c>response_contains</c>; the rest is not read.</summary>
    public int MaxBodyBytes { get; init; } = 1024 * 1024;
}
