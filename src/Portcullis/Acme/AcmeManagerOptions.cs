namespace Portcullis.Acme;

/// <summary>Timing knobs of the ACME manager; the defaults are for production, tests shorten them.</summary>
internal sealed record AcmeManagerOptions
{
    /// <summary>First retry after a failed order (doubles per failure, ±10 %).</summary>
    public TimeSpan RetryBase { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Longest wait between two attempts.</summary>
    public TimeSpan RetryMax { get; init; } = TimeSpan.FromHours(6);

    /// <summary>How often an idle site wakes to check days left (warnings) and the CA's renewal window.</summary>
    public TimeSpan CheckInterval { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Days left at which a warning is logged once each (and again after a restart).</summary>
    public IReadOnlyList<int> WarningDays { get; init; } = [30, 14, 7, 1];
}
