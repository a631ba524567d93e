namespace Portcullis.Cli;

/// <summary>Process exit codes, stable for scripts and service managers.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The gateway could not run: a port in use, a certificate that fails to load, an unwritable data_dir.</summary>
    public const int RuntimeFailure = 1;

    /// <summary>Bad command line or invalid config.</summary>
    public const int UsageOrConfigError = 2;

    /// <summary><c>portcullis audit --fail-under G</c>: a grade is below G (or could not be computed).</summary>
    public const int AuditBelowMinimum = 1;

    /// <summary><c>portcullis audit</c>: the target does not resolve or does not accept a connection.</summary>
    public const int AuditUnreachable = 3;
}
