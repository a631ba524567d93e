using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Portcullis.Hardening;
using Portcullis.Hosting;
using Yarp.ReverseProxy.Forwarder;

namespace Portcullis.Proxy;

/// <summary>
/// The end of the pipeline: takes the route <see cref="Sites.SiteSelectionMiddleware"/> chose (404 without one),
/// picks an upstream and forwards with YARP's <see cref="IHttpForwarder"/> (bodies stream both ways, WebSockets
/// and upgrades pass). Forwarding failures become small branded pages: 502 when the upstream cannot be reached,
/// 504 when it stays silent past the route's timeout.
/// </summary>
internal sealed partial class ForwardingMiddleware(RequestDelegate next, IHttpForwarder forwarder, Http1.Http1Forwarder http1, UpstreamClient client, ILogger<ForwardingMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        _ = next;
        var gateway = context.Features.GetRequiredFeature<GatewayContext>();
        var e = gateway.Event;
        var route = gateway.Route;
        if (route is null)
        {
            await RespondAsync(context, gateway, StatusCodes.Status404NotFound, "no_route");
            return;
        }

        var upstream = route.Pool.Pick();
        e.Upstream = upstream.Prefix;
        System.Threading.RateLimiting.RateLimitLease? slot = null;
        if (route.UpstreamGates?.GetValueOrDefault(upstream) is { } gate && (slot = await gate.EnterAsync(context.RequestAborted)) is null)
        {
            await gate.RespondBusyAsync(context, gateway);
            return;
        }
        using var upstreamSlot = slot;
        var started = Stopwatch.GetTimestamp();
        upstream.Enter();
        ForwarderError error;
        Exception? exception = null;
        try
        {
            if (Http1.Http1Forwarder.CanForward(context, upstream))
            {
                (error, exception) = await http1.ForwardAsync(context, gateway, upstream, route);
            }
            else
            {
                error = await forwarder.SendAsync(context, upstream.Prefix, client.Invoker, route.RequestConfig, GatewayTransformer.Instance);
                exception = error == ForwarderError.None ? null : context.Features.Get<IForwarderErrorFeature>()?.Exception;
            }
        }
        finally
        {
            upstream.Leave();
        }
        e.UpstreamDuration = Stopwatch.GetElapsedTime(started);
        if (error == ForwarderError.None)
        {
            upstream.Health.ReportSuccess();
            e.Outcome = "forwarded";
            return;
        }
        await HandleErrorAsync(context, gateway, route.Config.HealthCheck, upstream, error, exception);
    }

    private async Task HandleErrorAsync(HttpContext context, GatewayContext gateway, Configuration.HealthCheckConfig check, Upstream upstream, ForwarderError error, Exception? exception)
    {
        gateway.Event.Error = $"{error}: {exception?.GetBaseException().Message}";
        var status = error switch
        {
            ForwarderError.RequestTimedOut => StatusCodes.Status504GatewayTimeout,
            ForwarderError.RequestCanceled or ForwarderError.RequestBodyCanceled or ForwarderError.ResponseBodyCanceled or ForwarderError.UpgradeRequestCanceled => 499,
            ForwarderError.RequestBodyClient or ForwarderError.ResponseBodyClient or ForwarderError.UpgradeRequestClient or ForwarderError.UpgradeResponseClient =>
                exception is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status400BadRequest,
            _ => StatusCodes.Status502BadGateway,
        };
        // Only failures of the upstream itself count against it; a client that went away says nothing about it.
        if (status is StatusCodes.Status502BadGateway or StatusCodes.Status504GatewayTimeout)
        {
            if (upstream.Health.ReportFailure(check.PassiveFailures, check.PassiveCooldown))
            {
                LogPassiveOut(logger, upstream.Prefix, check.PassiveFailures, check.PassiveCooldown.TotalSeconds);
            }
            LogForwardFailed(logger, upstream.Prefix, error, gateway.Event.RequestId);
        }
        if (status == StatusCodes.Status413PayloadTooLarge)
        {
            // A chunked body that passed the route's cap while being forwarded.
            gateway.Event.Limit = Limits.LimitNames.BodySize;
        }
        if (status == 499)
        {
            gateway.Event.Outcome = "client_aborted";
            return;
        }
        if (!context.Response.HasStarted)
        {
            context.Response.Clear();
            await RespondAsync(context, gateway, status, status >= 500 ? "upstream_error" : "client_error");
        }
        else
        {
            gateway.Event.Outcome = "upstream_error";
            // Headers already went out: the only honest signal left is to abort so the client sees a truncated response.
            context.Abort();
        }
    }

    internal static Task RespondAsync(HttpContext context, GatewayContext gateway, int status, string outcome, string? explanation = null)
    {
        gateway.Event.Outcome = outcome;
        gateway.Site?.Headers.Apply(context.Response.Headers);
        if (gateway.Site is null)
        {
            gateway.Snapshot.DefaultSite.Headers.Apply(context.Response.Headers);
        }
        context.Response.Headers[Observability.RequestTrackingMiddleware.RequestIdHeader] = gateway.Event.RequestId;
        return GatewayPages.WriteAsync(context, status, gateway.Event.RequestId, explanation);
    }

    [LoggerMessage(EventId = 1203, Level = LogLevel.Warning, Message = "Upstream {Upstream} failed {Failures} times in a row; out of rotation for {CooldownSeconds} s")]
    private static partial void LogPassiveOut(ILogger logger, string upstream, int failures, double cooldownSeconds);

    [LoggerMessage(EventId = 1204, Level = LogLevel.Information, Message = "Forwarding to {Upstream} failed: {Error} (request {RequestId})")]
    private static partial void LogForwardFailed(ILogger logger, string upstream, ForwarderError error, string requestId);
}
