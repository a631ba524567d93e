using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Portcullis.Hosting;
using Portcullis.Observability;
using Yarp.ReverseProxy.Forwarder;

namespace Portcullis.Proxy;

/// <summary>
/// Shapes what goes upstream and what comes back. Upstream: X-Forwarded-For/-Proto/-Host and X-Request-Id, where
/// incoming X-Forwarded-* (and Forwarded) are believed and extended only from trusted proxies and otherwise
/// replaced, so a client cannot forge its address to the application. Back: the site's header policy
/// (banners stripped, HSTS and security headers added).
/// </summary>
internal sealed class GatewayTransformer : HttpTransformer
{
    public static GatewayTransformer Instance { get; } = new();

    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);
        var gateway = httpContext.Features.GetRequiredFeature<GatewayContext>();
        var headers = proxyRequest.Headers;
        headers.Remove(ForwardedHeaderNames.XForwardedFor);
        headers.Remove(ForwardedHeaderNames.XForwardedProto);
        headers.Remove(ForwardedHeaderNames.XForwardedHost);
        headers.Remove(RequestTrackingMiddleware.RequestIdHeader);
        if (!gateway.PeerIsTrustedProxy)
        {
            // RFC 7239 Forwarded and the vendors' client-address headers from an untrusted client are as forgeable
            // as X-Forwarded-For: drop them.
            headers.Remove(ForwardedHeaderNames.Forwarded);
            headers.Remove(ForwardedHeaderNames.XClientIp);
            headers.Remove(ForwardedHeaderNames.TrueClientIp);
            headers.Remove(ForwardedHeaderNames.CfConnectingIp);
        }
        var (forValue, proto, host) = ForwardedValues.Compute(httpContext, gateway);
        headers.TryAddWithoutValidation(ForwardedHeaderNames.XForwardedFor, forValue);
        headers.TryAddWithoutValidation(ForwardedHeaderNames.XForwardedProto, proto);
        headers.TryAddWithoutValidation(ForwardedHeaderNames.XForwardedHost, host);
        headers.Remove(ForwardedHeaderNames.XRealIp);
        headers.TryAddWithoutValidation(ForwardedHeaderNames.XRealIp, gateway.Event.ClientIp?.ToString() ?? "");
        headers.TryAddWithoutValidation(RequestTrackingMiddleware.RequestIdHeader, gateway.Event.RequestId);
    }

    public override async ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken)
    {
        var copyBody = await base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken);
        var gateway = httpContext.Features.GetRequiredFeature<GatewayContext>();
        var headers = httpContext.Response.Headers;
        gateway.Site?.Headers.Apply(headers);
        headers[RequestTrackingMiddleware.RequestIdHeader] = gateway.Event.RequestId;
        return copyBody;
    }
}
