namespace Portcullis.Crs;

/// <summary>
/// A fetch that cannot go on: the download failed, the digest did not match, the archive is unreadable or unsafe.
/// Thrown inside the fetch and turned into a <see cref="CrsFetchResult"/> by <see cref="CrsFetcher"/>; the message is
/// what the user reads.
/// </summary>
internal sealed class CrsFetchException : Exception
{
    public CrsFetchException()
    {
    }

    public CrsFetchException(string message)
        : base(message)
    {
    }

    public CrsFetchException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
