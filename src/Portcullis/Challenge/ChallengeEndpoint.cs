using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;
using Portcullis.Hosting;
using Portcullis.Observability;
using Portcullis.Proxy;

namespace Portcullis.Challenge;

/// <summary>
/// Where the page posts its answer (a form: token, nonce, to). A genuine, unexpired token for this client and site,
/// a nonce that solves it, and a first use earn the pass cookie and a 303 back to the original path. An expired
/// token gets a fresh challenge (a tab left open); anything else a 403. The gateway answers this path itself on
/// sites with a challenge; it never reaches the application.
/// </summary>
internal sealed class ChallengeEndpoint(ChallengeGate gate, ILogger<ChallengeEndpoint> logger)
{
    public const string Path = "/.well-known/portcullis/challenge";

    /// <summary>Token, a nonce of 16 digits and a return path of 4 KB, form-encoded (up to 3 bytes per character).</summary>
    private const int MaxBodyLength = 16 * 1024;

    public async Task HandleAsync(HttpContext context, GatewayContext gateway)
    {
        var request = context.Request;
        var e = gateway.Event;
        if (!HttpMethods.IsPost(request.Method))
        {
            context.Response.Headers.Allow = "POST";
            await ForwardingMiddleware.RespondAsync(context, gateway, StatusCodes.Status405MethodNotAllowed, "challenge");
            return;
        }
        var form = await ReadFormAsync(request, context.RequestAborted);
        if (form is null)
        {
            await FailAsync(context, gateway, "malformed_form");
            return;
        }
        var site = gateway.Site!;
        var returnPath = form.TryGetValue("to", out var to) && ChallengeResponses.IsSafeReturnPath(to) ? to.ToString() : "/";
        var token = form.TryGetValue("token", out var t) ? t.ToString() : "";
        var nonce = form.TryGetValue("nonce", out var n) ? n.ToString() : "";
        var now = gate.Time.GetUtcNow();
        var check = gate.Tokens.Verify(token, site.Name, e.ClientIp, now, out var challenge);
        if (check == TokenCheck.Expired)
        {
            await ReissueAsync(context, gateway, "token_expired", returnPath);
            return;
        }
        if (check != TokenCheck.Valid)
        {
            await FailAsync(context, gateway, check == TokenCheck.BadMac ? "token_invalid" : "token_malformed");
            return;
        }
        if (!ProofOfWork.IsSolved(token, nonce, challenge.Difficulty))
        {
            await FailAsync(context, gateway, "not_solved");
            return;
        }
        var rotations = gate.Replays.EarlyRotations;
        var use = gate.Replays.TryUse(challenge.Id, challenge.Issued, now);
        if (gate.Replays.EarlyRotations != rotations)
        {
            ChallengeLog.ReplayCacheFull(logger, gate.Replays.EarlyRotations);
        }
        if (use == ReplayCheck.Stale)
        {
            await ReissueAsync(context, gateway, "token_stale", returnPath);
            return;
        }
        if (use == ReplayCheck.Replayed)
        {
            await FailAsync(context, gateway, "replayed");
            return;
        }
        var lifetime = site.Config.Challenge.PassLifetime;
        var pass = gate.Passes.Create(site.Name, e.ClientIp, now + lifetime);
        e.Challenge = "solved";
        e.Outcome = "challenge_solved";
        ChallengeLog.Solved(logger, e.ClientIp, site.Name, lifetime.TotalMinutes, e.RequestId);
        var response = context.Response;
        site.Headers.Apply(response.Headers);
        response.StatusCode = StatusCodes.Status303SeeOther;
        response.Headers.Location = returnPath;
        response.Headers.SetCookie = PassCookie.SetCookieHeader(pass, lifetime);
        response.Headers.CacheControl = "no-store";
        response.ContentLength = 0;
    }

    private Task ReissueAsync(HttpContext context, GatewayContext gateway, string reason, string returnPath)
    {
        gateway.Event.Challenge = "issued";
        gateway.Event.ChallengeReason = reason;
        ChallengeLog.Issued(logger, gateway.Event.ClientIp, gateway.Site!.Name, reason, gateway.Event.RequestId);
        return ChallengeResponses.WritePageAsync(context, gateway, gate, returnPath);
    }

    private Task FailAsync(HttpContext context, GatewayContext gateway, string reason)
    {
        var e = gateway.Event;
        e.Challenge = "failed";
        e.ChallengeReason = reason;
        ChallengeLog.Failed(logger, e.ClientIp, gateway.Site!.Name, reason, e.RequestId);
        e.Outcome = "challenge_failed";
        var site = gateway.Site!;
        site.Headers.Apply(context.Response.Headers);
        context.Response.Headers[RequestTrackingMiddleware.RequestIdHeader] = e.RequestId;
        return Hardening.GatewayPages.WriteAsync(context, StatusCodes.Status403Forbidden, e.RequestId,
            "The browser check did not succeed. Go back and reload the page to try again.");
    }

    /// <summary>The form fields, or null for a body that is not a small urlencoded form.</summary>
    private static async Task<Dictionary<string, Microsoft.Extensions.Primitives.StringValues>?> ReadFormAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyLength ||
            !(request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) ?? false))
        {
            return null;
        }
        var buffer = new byte[MaxBodyLength + 1];
        var length = 0;
        int read;
        try
        {
            while (length < buffer.Length && (read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
            {
                length += read;
            }
        }
        catch (BadHttpRequestException)
        {
            // Too slow (min_request_data_rate) or over the route's body cap: not an answer from the page.
            return null;
        }
        if (length > MaxBodyLength)
        {
            return null;
        }
        // A form from the page is ASCII (browsers percent-encode the rest); Latin-1 keeps any stray byte as one character.
        return QueryHelpers.ParseQuery(Encoding.Latin1.GetString(buffer, 0, length));
    }
}
