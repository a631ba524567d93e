using System.Net;

namespace Portcullis.Configuration;

/// <summary>Where the gateway listens. Changing these needs a restart (a reload logs that it kept the old ones).</summary>
internal sealed record ListenConfig
{
    public required IPEndPoint Https { get; init; }

    /// <summary>Plain-HTTP listener that only redirects to HTTPS; null when disabled (<c>http: off</c>).</summary>
    public IPEndPoint? Http { get; init; }
}
