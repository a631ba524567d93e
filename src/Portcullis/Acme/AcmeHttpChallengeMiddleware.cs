using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Portcullis.Acme.Challenges;
using Portcullis.Hosting;

namespace Portcullis.Acme;

/// <summary>
/// Answers http-01 validation (RFC 8555 §8.3) on the plain-HTTP listener: GET /.well-known/acme-challenge/TOKEN
/// gets the key authorization while the token is published, 404 otherwise. Everything else on plain HTTP goes on
/// to the HTTPS redirect; HTTPS requests for the path go to the site like any other request.
/// </summary>
internal sealed class AcmeHttpChallengeMiddleware(RequestDelegate next, AcmeChallengeStores challenges)
{
    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (request.IsHttps || !request.Path.StartsWithSegments(AcmeChallengeTypes.HttpPathPrefix.TrimEnd('/'), StringComparison.Ordinal, out var rest))
        {
            return next(context);
        }
        var gateway = context.Features.GetRequiredFeature<GatewayContext>();
        gateway.Event.Outcome = "acme-challenge";
        var token = rest.Value is { Length: > 1 } r ? r[1..] : "";
        var response = context.Response;
        response.Headers.CacheControl = "no-store";
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
        {
            response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            response.Headers.Allow = "GET, HEAD";
            response.ContentLength = 0;
            return Task.CompletedTask;
        }
        if (!challenges.Http.TryGetHttpResponse(token, out var keyAuthorization))
        {
            response.StatusCode = StatusCodes.Status404NotFound;
            response.ContentLength = 0;
            return Task.CompletedTask;
        }
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/octet-stream";
        var body = System.Text.Encoding.ASCII.GetBytes(keyAuthorization);
        response.ContentLength = body.Length;
        return HttpMethods.IsHead(request.Method) ? Task.CompletedTask : response.Body.WriteAsync(body).AsTask();
    }
}
