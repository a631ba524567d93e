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

    public int InFlight => Volatile.Read(ref _inFlight);

    public void Enter() => Interlocked.Increment(ref _inFlight);

    public void Leave() => Interlocked.Decrement(ref _inFlight);
}
