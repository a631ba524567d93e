using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Portcullis.Configuration;
using Portcullis.Hosting;

namespace Portcullis.Challenge;

/// <summary>
/// Runs after the site and route are known and before the firewall: on a site with a challenge, a client that must
/// be challenged (every client with <c>always</c>, flagged ones with <c>suspicious</c>) passes only with a valid pass
/// cookie; otherwise a page load gets the proof-of-work page and anything else a 403 saying a challenge is required.
/// Exempt routes and paths, and the gateway's own challenge endpoint, are decided first. Returns
/// <c>_next(context)</c> synchronously on every path that lets the request through.
/// </summary>
internal sealed class ChallengeMiddleware(RequestDelegate next, ChallengeGate gate, SuspiciousClients suspicious, ChallengeEndpoint endpoint,
    ILogger<ChallengeMiddleware> logger)
{
    /// <summary>
    /// Never challenged, as Anubis's default policy does: crawler rules (robots.txt) and well-known URIs (RFC 8615:
    /// security.txt, ACME, OpenID configuration) are read by programs that cannot run the page.
    /// </summary>
    private static readonly string[] AlwaysExempt = ["/robots.txt", "/.well-known"];

    public Task InvokeAsync(HttpContext context)
    {
        var gateway = context.Features.GetRequiredFeature<GatewayContext>();
        var site = gateway.Site;
        if (site is null || site.Config.Challenge.Mode == ChallengeMode.Off)
        {
            return next(context);
        }
        var settings = site.Config.Challenge;
        var path = context.Request.Path;
        if (path.Equals(ChallengeEndpoint.Path, StringComparison.OrdinalIgnoreCase))
        {
            return endpoint.HandleAsync(context, gateway);
        }
        if (IsExemptRequest(path, gateway, settings))
        {
            return next(context);
        }
        var e = gateway.Event;
        var flag = "";
        if (settings.Mode == ChallengeMode.Suspicious && !suspicious.TryGetReason(ClientKey.Of(e.ClientIp), out flag))
        {
            return next(context);
        }
        var cookie = PassCookie.Find(context.Request.Headers.Cookie);
        var verdict = cookie.IsEmpty ? (PassVerdict?)null : gate.Passes.Verify(cookie, site.Name, e.ClientIp, gate.Time.GetUtcNow());
        if (verdict == PassVerdict.Valid)
        {
            e.Challenge = "passed";
            return next(context);
        }
        var reason = verdict switch
        {
            null => "no_pass",
            PassVerdict.Expired => "pass_expired",
            _ => "pass_invalid",
        };
        e.ChallengeReason = flag.Length > 0 ? $"{reason}; flagged: {flag}" : reason;
        if (ChallengeResponses.IsPageLoad(context.Request))
        {
            e.Challenge = "issued";
            ChallengeLog.Issued(logger, e.ClientIp, site.Name, e.ChallengeReason, e.RequestId);
            return ChallengeResponses.WritePageAsync(context, gateway, gate, ChallengeResponses.ReturnPath(context.Request));
        }
        e.Challenge = "required";
        ChallengeLog.Required(logger, e.ClientIp, site.Name, e.ChallengeReason, e.RequestId);
        return ChallengeResponses.WriteRequiredAsync(context, gateway);
    }

    /// <summary>The route says <c>challenge: off</c>, or the path is exempt (the site's list, robots.txt, /.well-known).</summary>
    internal static bool IsExemptRequest(PathString path, GatewayContext gateway, ChallengeConfig settings) =>
        gateway.Route?.Config.ChallengeExempt == true || IsExempt(path, settings.ExemptPaths) || IsExempt(path, AlwaysExempt);

    /// <summary>Segment-boundary prefix match, as routes match: "/api" covers "/api" and "/api/x", not "/apix".</summary>
    private static bool IsExempt(PathString path, IReadOnlyList<string> prefixes)
    {
        var value = path.Value ?? "";
        foreach (var prefix in prefixes)
        {
            if (prefix.Length == 1 ||
                (value.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && (value.Length == prefix.Length || value[prefix.Length] == '/')))
            {
                return true;
            }
        }
        return false;
    }
}
