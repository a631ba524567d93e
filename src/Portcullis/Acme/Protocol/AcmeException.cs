namespace Portcullis.Acme.Protocol;

/// <summary>
/// An ACME exchange failed: the CA answered with a problem document (<see cref="Problem"/>), or could not be reached,
/// or answered something that is not ACME. The message always says what was attempted and, when the CA said why,
/// its problem type and detail.
/// </summary>
internal sealed class AcmeException : Exception
{
    public AcmeException()
    {
    }

    public AcmeException(string message)
        : base(message)
    {
    }

    public AcmeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public AcmeException(string context, AcmeProblem? problem, TimeSpan? retryAfter = null, Exception? innerException = null)
        : base(problem is null ? context : $"{context}: {problem}", innerException)
    {
        Problem = problem;
        RetryAfter = retryAfter;
    }

    /// <summary>The CA's problem document, when it sent one.</summary>
    public AcmeProblem? Problem { get; }

    /// <summary>How long the CA asked us to wait (Retry-After, e.g. with rateLimited, RFC 8555 §6.6).</summary>
    public TimeSpan? RetryAfter { get; }
}
