using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Portcullis.Hosting;
using Portcullis.Proxy;

namespace Portcullis.Limits;

/// <summary>
/// Per-client limits on requests, after the site and route are known and before the firewall spends anything on
/// the request: the rate limit (route, else site, else gateway-wide) and the cap on requests in flight. Over
/// either, 429 with Retry-After (RFC 6585 §4) and the limit's name in the request event. Both count the real client
/// address, so clients behind a trusted proxy are limited one by one, not as the proxy.
/// </summary>
internal sealed class ClientLimitsMiddleware(RequestDelegate next, RateLimitTables tables, LimitSignals signals, Http2ResetBudgets resets, Challenge.OverLimitChallenge challenge)
{
    /// <summary>An in-flight slot frees as soon as one of the client's requests ends; one second is the smallest Retry-After.</summary>
    private static readonly TimeSpan InFlightRetryAfter = TimeSpan.FromSeconds(1);

    private readonly ClientCounters _inFlight = new();

    internal ClientCounters InFlight => _inFlight;

    public Task InvokeAsync(HttpContext context)
    {
        var gateway = context.Features.GetRequiredFeature<GatewayContext>();
        var limits = gateway.Snapshot.Config.ClientLimits;
        var client = ClientKey.From(gateway.Event.ClientIp, limits.Ipv6Prefix);
        if (context.RequestAborted.IsCancellationRequested)
        {
            // Reset before the gateway got to it (rapid reset's whole point): count it and spend nothing more on it.
            OnAborted(context, gateway, client);
            return Task.CompletedTask;
        }
        if (tables.Get(gateway.Snapshot).For(gateway.Site, gateway.Route) is { } limiter)
        {
            var decision = limiter.TryAcquire(client);
            if (!decision.IsAllowed)
            {
                if (challenge.TakesOver(context, gateway, limiter.Name))
                {
                    // challenge: suspicious: the challenge middleware (next) answers with the page instead of a 429.
                    gateway.Event.Limit = limiter.Name;
                    signals.Raise(client, limiter.Name);
                    return next(context);
                }
                return RejectAsync(context, gateway, client, limiter.Name, decision.RetryAfter, "rate_limited");
            }
        }
        var http2 = HttpProtocol.IsHttp2(context.Request.Protocol);
        if (limits.MaxRequestsInFlight is not { } max)
        {
            return http2 ? RunAsync(context, gateway, client, null) : next(context);
        }
        if (!_inFlight.TryEnter(client, max, out var counter))
        {
            return RejectAsync(context, gateway, client, LimitNames.RequestsInFlightPerClient, InFlightRetryAfter, "too_many_in_flight");
        }
        return RunAsync(context, gateway, client, counter);
    }

    private async Task RunAsync(HttpContext context, GatewayContext gateway, ClientKey client, ClientCounters.Counter? counter)
    {
        try
        {
            await next(context);
        }
        finally
        {
            if (counter is not null)
            {
                _inFlight.Leave(client, counter);
            }
            if (context.RequestAborted.IsCancellationRequested)
            {
                OnAborted(context, gateway, client);
            }
        }
    }

    /// <summary>An HTTP/2 stream the client cancelled counts against its connection's reset budget (limits.http2_max_resets).</summary>
    private void OnAborted(HttpContext context, GatewayContext gateway, ClientKey client)
    {
        if (HttpProtocol.IsHttp2(context.Request.Protocol) && resets.OnStreamReset(context.Connection.Id, gateway.Event.ClientIp?.ToString() ?? "?"))
        {
            gateway.Event.Limit = LimitNames.Http2Resets;
            signals.Raise(client, LimitNames.Http2Resets);
        }
    }

    private Task RejectAsync(HttpContext context, GatewayContext gateway, ClientKey client, string limit, TimeSpan retryAfter, string outcome)
    {
        gateway.Event.Limit = limit;
        signals.Raise(client, limit);
        var seconds = RetryAfterSeconds(retryAfter);
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return ForwardingMiddleware.RespondAsync(context, gateway, StatusCodes.Status429TooManyRequests, outcome,
            $"Too many requests from your address; please try again in {seconds} second{(seconds == 1 ? "" : "s")}.");
    }

    /// <summary>Retry-After is whole seconds (RFC 9110 §10.2.3): round up, so a client that obeys it finds a token waiting.</summary>
    internal static long RetryAfterSeconds(TimeSpan wait) => Math.Max(1, (long)Math.Ceiling(wait.TotalSeconds));
}
