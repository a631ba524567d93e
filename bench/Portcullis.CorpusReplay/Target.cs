using System.Net;

namespace Portcullis.CorpusReplay;

/// <summary>A server to replay against, from <c>--target NAME=URL</c>. Only loopback addresses are accepted:
/// this tool sends attack traffic and must never aim it anywhere but this machine.</summary>
internal sealed record Target(string Name, Uri Url, IPEndPoint Endpoint)
{
    public bool Tls => Url.Scheme == Uri.UriSchemeHttps;

    public static Target Parse(string spec)
    {
        var eq = spec.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0 || !Uri.TryCreate(spec[(eq + 1)..], UriKind.Absolute, out var url)
            || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
        {
            throw new ArgumentException($"--target '{spec}': write NAME=https://127.0.0.1:PORT");
        }

        var address = url.Host == "localhost" ? IPAddress.Loopback
            : IPAddress.TryParse(url.Host.Trim('[', ']'), out var ip) ? ip
            : throw new ArgumentException($"--target '{spec}': give an IP address or localhost");
        if (!IPAddress.IsLoopback(address))
        {
            throw new ArgumentException($"--target '{spec}': only loopback addresses are allowed");
        }

        return new Target(spec[..eq], url, new IPEndPoint(address, url.Port));
    }
}
