namespace Portcullis.Audit;

/// <summary>
/// The target cannot be audited at all: the name does not resolve, or nothing accepts a TCP connection on the TLS
/// port within the probe timeout. Thrown by either half of the audit; the command turns it into one clear line and
/// its own exit code instead of a report full of "could not tell".
/// </summary>
internal sealed class AuditUnreachableException : Exception
{
    public AuditUnreachableException()
    {
    }

    public AuditUnreachableException(string message)
        : base(message)
    {
    }

    public AuditUnreachableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
