using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;
using Portcullis.Hardening;
using Portcullis.Hosting;
using Portcullis.Observability;

namespace Portcullis.Challenge;

/// <summary>
/// The answers of a challenge: the proof-of-work page for a browser loading a page, and a short refusal for
/// everything else (API calls, form posts, images), which cannot run the page and could not be replayed after it.
/// Both are 403 with <c>Portcullis-Challenge: required</c>, so scripts and monitors can tell a challenge from a block.
/// </summary>
internal static class ChallengeResponses
{
    public const string Header = "Portcullis-Challenge";

    /// <summary>Longest original URL carried through the challenge; longer ones return to "/" (the form body is capped).</summary>
    public const int MaxReturnLength = 4096;

    private static readonly byte[] RequiredText = Encoding.UTF8.GetBytes(
        "This site asks clients to pass a browser check first. Open it in a browser (a page load, not an API call), then retry.\n");

    private static readonly byte[] RequiredJson = Encoding.UTF8.GetBytes(
        "{\"error\":\"challenge_required\",\"message\":\"This site asks clients to pass a browser check first. Open it in a browser, then retry.\"}\n");

    /// <summary>A GET or HEAD whose Accept names text/html: a browser navigating (fetches and images do not ask for HTML).</summary>
    public static bool IsPageLoad(HttpRequest request)
    {
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
        {
            return false;
        }
        foreach (var accept in request.Headers.Accept)
        {
            if (accept is not null && accept.Contains("text/html", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The original URL as a path and query to come back to after the challenge ("/" when too long).</summary>
    public static string ReturnPath(HttpRequest request)
    {
        var path = request.GetEncodedPathAndQuery();
        return IsSafeReturnPath(path) ? path : "/";
    }

    /// <summary>
    /// Only a path on this site: one leading '/', and not "//" or "/\" (browsers read both as another host), printable
    /// ASCII only. So the redirect after a solve can never leave the site (no open redirect).
    /// </summary>
    public static bool IsSafeReturnPath(string? path) =>
        path is { Length: > 0 and <= MaxReturnLength } && path[0] == '/' && !path.StartsWith("//", StringComparison.Ordinal) &&
        !path.Contains('\\', StringComparison.Ordinal) && path.All(c => c is > ' ' and < '\x7f');

    public static Task WritePageAsync(HttpContext context, GatewayContext gateway, ChallengeGate gate, string returnPath)
    {
        var site = gateway.Site!;
        var settings = site.Config.Challenge;
        var token = gate.Tokens.Issue(site.Name, gateway.Event.ClientIp, settings.Difficulty, gate.Time.GetUtcNow());
        var body = ChallengePage.Render(token, settings.Difficulty, returnPath, gateway.Event.RequestId);
        var response = PrepareResponse(context, gateway, "text/html; charset=utf-8", body.Length);
        response.Headers.ContentSecurityPolicy = ChallengePage.ContentSecurityPolicy;
        response.Headers.XFrameOptions = "DENY";
        return HttpMethods.IsHead(context.Request.Method) ? Task.CompletedTask : response.Body.WriteAsync(body).AsTask();
    }

    public static Task WriteRequiredAsync(HttpContext context, GatewayContext gateway)
    {
        var json = context.Request.Headers.Accept.Any(a => a is not null && a.Contains("json", StringComparison.OrdinalIgnoreCase));
        var body = json ? RequiredJson : RequiredText;
        var response = PrepareResponse(context, gateway, json ? "application/json" : "text/plain; charset=utf-8", body.Length);
        response.Headers.ContentSecurityPolicy = GatewayPages.ContentSecurityPolicy;
        return HttpMethods.IsHead(context.Request.Method) ? Task.CompletedTask : response.Body.WriteAsync(body).AsTask();
    }

    private static HttpResponse PrepareResponse(HttpContext context, GatewayContext gateway, string contentType, int length)
    {
        gateway.Event.Outcome = "challenge";
        var response = context.Response;
        gateway.Site!.Headers.Apply(response.Headers);
        response.Headers[RequestTrackingMiddleware.RequestIdHeader] = gateway.Event.RequestId;
        response.StatusCode = StatusCodes.Status403Forbidden;
        response.ContentType = contentType;
        response.ContentLength = length;
        response.Headers[Header] = "required";
        // A shared cache must never hand one client's challenge (bound to its address) to another.
        response.Headers.CacheControl = "no-store";
        return response;
    }
}
