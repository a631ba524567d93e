namespace Portcullis.Incidents;

/// <summary>Where incidents are kept and how much of them; the defaults keep a month within a small file.</summary>
internal sealed record IncidentStoreOptions
{
    public const string FileName = "incidents.db";

    /// <summary>The SQLite file, normally <c>data_dir/incidents.db</c>.</summary>
    public required string Path { get; init; }

    /// <summary>Older incidents are deleted: a month covers "what happened last week" without keeping request data forever.</summary>
    public TimeSpan MaxAge { get; init; } = TimeSpan.FromDays(30);

    /// <summary>The oldest incidents go first when the data passes this; an attack flood cannot fill the disk.</summary>
    public long MaxSize { get; init; } = 256L * 1024 * 1024;

    /// <summary>Incidents waiting for the writer; past this a new one is dropped (and counted) rather than wait.</summary>
    public int QueueCapacity { get; init; } = 10_000;

    /// <summary>How often the age and size limits are applied while running (they are also applied on open).</summary>
    public TimeSpan PruneInterval { get; init; } = TimeSpan.FromMinutes(10);

    public static IncidentStoreOptions ForDataDir(string dataDir) => new() { Path = System.IO.Path.Combine(dataDir, FileName) };
}
