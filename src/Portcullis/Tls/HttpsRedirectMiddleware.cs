using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Portcullis.Hardening;
using Portcullis.Hosting;

namespace Portcullis.Tls;

/// <summary>
/// The plain-HTTP listener serves nothing but a 308 to the same host over HTTPS with path and query kept (308
/// keeps the method and body, unlike 301/302). No HSTS here: RFC 6797 §7.2 forbids it over plain HTTP.
/// </summary>
internal sealed class HttpsRedirectMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (context.Request.IsHttps)
        {
            return next(context);
        }
        var gateway = context.Features.GetRequiredFeature<GatewayContext>();
        gateway.Event.Outcome = "redirect";
        var host = context.Request.Host;
        if (!host.HasValue || host.Host.Length == 0)
        {
            return GatewayPages.WriteAsync(context, StatusCodes.Status400BadRequest, gateway.Event.RequestId);
        }
        var httpsPort = gateway.Snapshot.Config.Listen.Https.Port;
        var target = httpsPort == 443 ? new HostString(host.Host) : new HostString(host.Host, httpsPort);
        var location = "https://" + target.ToUriComponent() +
                       context.Request.PathBase.ToUriComponent() + context.Request.Path.ToUriComponent() + context.Request.QueryString.ToUriComponent();
        context.Response.StatusCode = StatusCodes.Status308PermanentRedirect;
        context.Response.Headers.Location = location;
        context.Response.ContentLength = 0;
        return Task.CompletedTask;
    }
}
