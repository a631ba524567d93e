namespace Portcullis.Proxy;

/// <summary>The de-facto forwarding headers (and RFC 7239's standard one).</summary>
internal static class ForwardedHeaderNames
{
    public const string XForwardedFor = "X-Forwarded-For";
    public const string XForwardedProto = "X-Forwarded-Proto";
    public const string XForwardedHost = "X-Forwarded-Host";
    public const string Forwarded = "Forwarded";

    /// <summary>nginx's convention: the one client address. Always set by the gateway, never passed through.</summary>
    public const string XRealIp = "X-Real-IP";

    /// <summary>Other vendors' client-address headers that applications may trust: dropped unless the peer is a trusted proxy.</summary>
    public const string XClientIp = "X-Client-IP";
    public const string TrueClientIp = "True-Client-IP";
    public const string CfConnectingIp = "CF-Connecting-IP";
}
