using Portcullis.Observability;
using Portcullis.Sites;

namespace Portcullis.Hosting;

/// <summary>
/// What the gateway knows about one request as it moves through the pipeline; stored as a request feature.
/// The config generation is captured once, so a reload in the middle of a request never mixes two generations.
/// </summary>
internal sealed class GatewayContext(GatewaySnapshot snapshot, RequestEvent requestEvent, bool peerIsTrustedProxy)
{
    public GatewaySnapshot Snapshot { get; } = snapshot;

    public RequestEvent Event { get; } = requestEvent;

    /// <summary>The TCP peer is in trusted_proxies, so its X-Forwarded-* headers are believed and extended.</summary>
    public bool PeerIsTrustedProxy { get; } = peerIsTrustedProxy;

    /// <summary>Set once the Host header has picked a site.</summary>
    public Site? Site { get; set; }

    /// <summary>Set when the path matched one of the site's routes.</summary>
    public SiteRoute? Route { get; set; }
}
