using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Portcullis.Hosting;
using Portcullis.Proxy;

namespace Portcullis.Sites;

/// <summary>
/// Picks the site by Host (421 for an unknown host with strict_sni, else the default site) and the route by path
/// prefix, and enforces the route's body cap before anything reads the body (the firewall buffers it next).
/// A request without a route still goes on, so the firewall sees probes of unrouted paths; forwarding answers 404.
/// </summary>
internal sealed class SiteSelectionMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        var gateway = context.Features.GetRequiredFeature<GatewayContext>();
        var snapshot = gateway.Snapshot;
        var site = snapshot.FindSite(context.Request.Host.Host);
        if (site is null)
        {
            if (snapshot.Config.Tls.StrictSni)
            {
                return ForwardingMiddleware.RespondAsync(context, gateway, StatusCodes.Status421MisdirectedRequest, "no_site");
            }
            site = snapshot.DefaultSite;
        }
        gateway.Site = site;
        gateway.Event.Site = site.Name;
        var route = site.FindRoute(context.Request.Path);
        if (route is not null)
        {
            gateway.Route = route;
            gateway.Event.Route = route.Prefix;
            if (context.Request.ContentLength > route.MaxBodySize)
            {
                gateway.Event.Limit = Limits.LimitNames.BodySize;
                return ForwardingMiddleware.RespondAsync(context, gateway, StatusCodes.Status413RequestEntityTooLarge, "body_too_large");
            }
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
            {
                bodySize.MaxRequestBodySize = route.MaxBodySize;
            }
        }
        return next(context);
    }
}
