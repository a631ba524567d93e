namespace Portcullis.CorpusReplay;

/// <summary>One line of a corpus file (<c>../shared/attacks/*.jsonl</c>); field meanings are in that folder's README.</summary>
internal sealed record CorpusEntry
{
    public required string Id { get; init; }
    public required string File { get; init; }
    public required string Class { get; init; }
    public string? Subclass { get; init; }
    public required bool Malicious { get; init; }
    public required string Payload { get; init; }
    public required string Placement { get; init; }
    public string? Param { get; init; }
    public string? Encode { get; init; }
    public string? Method { get; init; }
    public string? Path { get; init; }
    public string? Boundary { get; init; }

    /// <summary><c>tags: ["hard"]</c>: legitimate content many WAFs block; its FPR is reported on its own.</summary>
    public bool Hard { get; init; }
}
