namespace Portcullis.Crs;

/// <summary>
/// Bounds on what a fetched archive may be, so a hostile or broken source cannot fill the disk (a gzip bomb expands
/// a thousandfold) or exhaust inodes. The whole CRS 4.x repository tarball is about 5 MiB compressed and 30 MiB
/// unpacked in under 5,000 entries; the defaults leave ample room for growth.
/// </summary>
internal sealed record CrsArchiveLimits
{
    public static CrsArchiveLimits Default { get; } = new();

    /// <summary>The largest download accepted, in bytes.</summary>
    public long MaxDownloadBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>The most bytes all unpacked entries may add up to.</summary>
    public long MaxUnpackedBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>The most entries (files and folders) an archive may hold.</summary>
    public int MaxEntries { get; init; } = 50_000;
}
