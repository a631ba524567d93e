namespace Portcullis.Crs;

/// <summary>What an installed fetch did, for the command to print.</summary>
internal sealed record CrsFetchResult
{
    /// <summary>The installed folder, <c>data_dir/crs</c>.</summary>
    public required string CrsDirectory { get; init; }

    /// <summary>The archive's top folder that was stripped (e.g. <c>coreruleset-4.28.0</c>).</summary>
    public required string ArchiveTopFolder { get; init; }

    public required int RuleFileCount { get; init; }

    public required long UnpackedBytes { get; init; }

    /// <summary>Where the version that was replaced now lives, or null when there was none.</summary>
    public string? PreviousDirectory { get; init; }

    /// <summary>True when crs-setup.conf was created from the example; false when the user's own was kept.</summary>
    public bool SetupCreatedFromExample { get; init; }
}
