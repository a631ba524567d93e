using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Portcullis.Configuration;
using Portcullis.Hardening;
using Portcullis.Hosting;
using Portcullis.Observability;
using Portcullis.Waf.Transactions;

namespace Portcullis.Firewall;

/// <summary>
/// Feeds each request and its response through the site's rules, phase by phase: request line and headers
/// (phase 1), the buffered request body (phase 2), response headers (3) and inspected response bodies (4), then
/// logging (5). An interruption in block mode answers with the rule's status (403 by default) and a page naming
/// the request id; in detect mode everything passes and the matches are only recorded. Every match goes into the
/// request's event (access log, security log).
/// </summary>
internal sealed partial class FirewallMiddleware(RequestDelegate next, ILogger<FirewallMiddleware> logger)
{
    public Task InvokeAsync(HttpContext context)
    {
        var gateway = context.Features.GetRequiredFeature<GatewayContext>();
        var firewall = gateway.Site?.Firewall;
        return firewall is null || firewall.Mode == WafMode.Off ? next(context) : InspectAsync(context, gateway, firewall);
    }

    private async Task InspectAsync(HttpContext context, GatewayContext gateway, SiteFirewall firewall)
    {
        var tx = firewall.Rules.CreateTransaction(gateway.Event.RequestId, firewall.EngineMode);
        InspectedResponseBody? responseBody = null;
        IHttpResponseBodyFeature? originalBody = null;
        Interruption? interruption = null;
        try
        {
            // A request without a body runs both request phases in a batch. One with a body is inspected here, around
            // the read of its body: measured, batching its phase 2 made form posts ~30 % slower (docs/benchmarks.md).
            var bodyless = RequestBodyBuffer.IsAbsent(context);
            Interruption? RequestPhases()
            {
                RequestFeeder.Feed(tx, context, gateway);
                return tx.ProcessRequestHeaders() ?? (bodyless ? tx.ProcessRequestBody() : null);
            }
            interruption = bodyless ? await InspectionBatches.RunAsync(RequestPhases) : RequestPhases();
            if (interruption is null && !bodyless)
            {
                bool bodyFits;
                try
                {
                    // Detect mode never refuses: a body over the limit is inspected as far as it fits and passes.
                    var partial = firewall.Settings.RequestBodyLimitPartial || firewall.Mode != WafMode.Block;
                    var idle = gateway.Route?.Config.Timeout ?? TimeSpan.FromSeconds(60);
                    bodyFits = await RequestBodyBuffer.ReadAsync(context, tx, partial, idle, context.RequestAborted);
                }
                catch (BadHttpRequestException e)
                {
                    // Over the route's cap, or too slow (MinRequestBodyDataRate): the client's fault, answered as such.
                    await Proxy.ForwardingMiddleware.RespondAsync(context, gateway, e.StatusCode, "client_error");
                    return;
                }
                if (!bodyFits)
                {
                    interruption = new Interruption(StatusCodes.Status413RequestEntityTooLarge, 0, "deny", Phase.RequestBody);
                }
                interruption ??= tx.ProcessRequestBody();
            }
            if (interruption is not null)
            {
                await RespondBlockedAsync(context, gateway, interruption);
                return;
            }
            originalBody = context.Features.GetRequiredFeature<IHttpResponseBodyFeature>();
            responseBody = new InspectedResponseBody(context, originalBody, tx);
            context.Features.Set<IHttpResponseBodyFeature>(responseBody);
            await next(context);
            await responseBody.FinishAsync(context.RequestAborted);
            context.Features.Set(originalBody);
            if (responseBody.Interruption is { } late)
            {
                interruption = late;
                if (!context.Response.HasStarted)
                {
                    context.Response.Clear();
                    await RespondBlockedAsync(context, gateway, late);
                }
                else
                {
                    context.Abort();
                }
            }
        }
        finally
        {
            if (originalBody is not null)
            {
                context.Features.Set(originalBody);
            }
            tx.ProcessLogging();
            Record(gateway.Event, tx, firewall, interruption, context.Request.Headers);
            if (tx.RegexTimeouts > 0)
            {
                LogRegexTimeouts(logger, tx.RegexTimeouts, gateway.Event.RequestId);
            }
        }
    }

    private static Task RespondBlockedAsync(HttpContext context, GatewayContext gateway, Interruption interruption)
    {
        if (interruption.Action == "drop")
        {
            gateway.Event.Outcome = "waf_dropped";
            context.Abort();
            return Task.CompletedTask;
        }
        gateway.Event.Outcome = "waf_blocked";
        var site = gateway.Site ?? gateway.Snapshot.DefaultSite;
        site.Headers.Apply(context.Response.Headers);
        context.Response.Headers[RequestTrackingMiddleware.RequestIdHeader] = gateway.Event.RequestId;
        return GatewayPages.WriteAsync(context, interruption.Status, gateway.Event.RequestId,
            interruption.Status == StatusCodes.Status403Forbidden
                ? "This request was blocked by the site's web application firewall. If you think this is a mistake, tell the site's operator the request ID below."
                : null);
    }

    private static void Record(RequestEvent e, Transaction tx, SiteFirewall firewall, Interruption? interruption, IHeaderDictionary headers)
    {
        if (tx.MatchedRules.Count == 0 && interruption is null && tx.RegexTimeouts == 0)
        {
            return;
        }
        var action = interruption is null
            ? (tx.MatchedRules.Count > 0 ? "detected" : "passed")
            : interruption.Action == "drop" ? "dropped" : "blocked";
        var verdict = new WafVerdict(
            firewall.Mode == WafMode.Block ? "block" : "detect",
            action,
            interruption?.RuleId,
            interruption?.Status,
            tx.MatchedRules,
            tx.RegexTimeouts);
        // Only an incident needs the headers and scores: a request that merely logged a detection does not pay for them.
        e.Waf = !Incidents.IncidentFactory.WouldBlock(verdict) ? verdict : verdict with
        {
            RequestHeaders = [.. headers.SelectMany(h => h.Value.Select(v => new KeyValuePair<string, string>(h.Key, v ?? "")))],
            Scores = AnomalyScores.Read(tx),
        };
    }

    [LoggerMessage(EventId = 1502, Level = LogLevel.Warning, Message = "{Count} WAF regex match(es) ran out of time and counted as no match (request {RequestId})")]
    private static partial void LogRegexTimeouts(ILogger logger, int count, string requestId);
}
