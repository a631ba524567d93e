namespace Portcullis.Proxy;

/// <summary>The de-facto forwarding headers (and RFC 7239's standard one).</summary>
internal static class ForwardedHeaderNames
{
    public const string XForwardedFor = "X-Forwarded-For";
    public const string XForwardedProto = "X-Forwarded-Proto";
    public const string XForwardedHost = "X-Forwarded-Host";
    public const string Forwarded = "Forwarded";
}
