namespace Portcullis.Crs;

/// <summary>What to fetch, how to check it and where to put it (already validated by the command).</summary>
internal sealed record CrsFetchRequest
{
    public required string Version { get; init; }

    /// <summary>An http, https or file URL of a .tar.gz or .zip archive.</summary>
    public required Uri Source { get; init; }

    /// <summary>The expected SHA-256 of the archive bytes, 64 lowercase hex digits.</summary>
    public required string Sha256 { get; init; }

    /// <summary>The gateway's data_dir; the rules go to <c>DataDir/crs</c>.</summary>
    public required string DataDir { get; init; }

    public CrsArchiveLimits Limits { get; init; } = CrsArchiveLimits.Default;
}
