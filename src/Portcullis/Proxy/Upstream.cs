namespace Portcullis.Proxy;

/// <summary>
/// One upstream address of a route, with its live health and load. The health object is shared by every
/// route and config generation that names the same URL, so a reload keeps what the checks learned.
/// </summary>
internal sealed class Upstream(Uri address, UpstreamHealth health)
{
    private int _inFlight;

    public Uri Address { get; } = address;

    /// <summary>The base URL as YARP wants it ("http://host:port/prefix", no trailing slash).</summary>
    public string Prefix { get; } = address.GetLeftPart(UriPartial.Path).TrimEnd('/');

    public UpstreamHealth Health { get; } = health;

    /// <summary>Plain http:// upstreams take the gateway's own HTTP/1.1 forwarder (<see cref="Http1.Http1Forwarder"/>); https:// ones go through YARP.</summary>
    public bool IsPlainHttp { get; } = address.Scheme == Uri.UriSchemeHttp;

    /// <summary>Host header value for this upstream ("host" or "host:port").</summary>
    public string Authority { get; } = AuthorityOf(address);

    /// <summary>The path of the upstream URL without a trailing slash ("" for none); prepended to request targets.</summary>
    public string PathBase { get; } = address.AbsolutePath.TrimEnd('/');

    public System.Net.DnsEndPoint EndPoint { get; } = new(address.IdnHost.Trim('[', ']'), address.Port);

    public int InFlight => Volatile.Read(ref _inFlight);

    private static string AuthorityOf(Uri address)
    {
        // IdnHost drops an IPv6 literal's brackets ("::1"); Host needs them back (RFC 3986 §3.2.2, RFC 9110 §7.2).
        var host = address.HostNameType == UriHostNameType.IPv6 ? $"[{address.IdnHost}]" : address.IdnHost;
        return address.IsDefaultPort ? host : $"{host}:{address.Port}";
    }

    public void Enter() => Interlocked.Increment(ref _inFlight);

    public void Leave() => Interlocked.Decrement(ref _inFlight);
}
