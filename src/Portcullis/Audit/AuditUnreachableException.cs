namespace Portcullis.Audit;

/// <summary>
/// The audited host could not be reached at all (name does not resolve, connection refused, or no answer within the
/// timeout): the audit stops at once with this message instead of running every probe into the same wall.
/// </summary>
internal sealed class AuditUnreachableException : Exception
{
    public AuditUnreachableException(string message)
        : base(message)
    {
    }

    public AuditUnreachableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public AuditUnreachableException()
    {
    }
}
