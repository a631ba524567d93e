namespace Portcullis.Configuration;

/// <summary>Access log: one ECS JSON line per request in data_dir/logs/access.log, and optionally on stdout.</summary>
internal sealed record LogConfig
{
    /// <summary>Write the access log file (data_dir/logs/access.log).</summary>
    public bool File { get; init; } = true;

    /// <summary>Also write each access log line to standard output (for containers and journald).</summary>
    public bool Stdout { get; init; }

    /// <summary>Rotate when the file passes this size.</summary>
    public long MaxFileSize { get; init; } = 100L * 1024 * 1024;

    /// <summary>Rotated files kept (access.log.1 … access.log.N); older ones are deleted.</summary>
    public int KeepFiles { get; init; } = 10;
}
