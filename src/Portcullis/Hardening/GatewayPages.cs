using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Portcullis.Hardening;

/// <summary>
/// The small branded pages the gateway answers with itself (errors, no site). They say what happened in plain
/// words and give the request id, and reveal nothing internal: no upstream address, no exception, no version.
/// </summary>
internal static class GatewayPages
{
    internal const string Style =
        "body{font:16px/1.5 system-ui,sans-serif;margin:0;background:#f4f5f7;color:#1d2430}" +
        "main{max-width:36rem;margin:12vh auto;padding:2rem;background:#fff;border-radius:8px;box-shadow:0 1px 4px #0002}" +
        "h1{font-size:1.4rem;margin:0 0 .5rem}code{background:#eef;padding:0 .3em;border-radius:3px}footer{margin-top:1.5rem;color:#667;font-size:.85rem}";

    /// <summary>
    /// Gateway pages load nothing and cannot be framed; the one inline style is allowed by its hash, so even an
    /// injected string could not run script or style (HTTP Observatory's strictest CSP).
    /// </summary>
    public static readonly string ContentSecurityPolicy =
        $"default-src 'none'; style-src 'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(Style)))}'; " +
        "frame-ancestors 'none'; form-action 'none'; base-uri 'none'";

    public static Task WriteAsync(HttpContext context, int statusCode, string requestId, string? explanation = null)
    {
        var (title, text) = Describe(statusCode);
        text = explanation ?? text;
        var body = Encoding.UTF8.GetBytes(
            $"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">" +
            $"<title>{statusCode} {title}</title><style>{Style}</style></head><body><main><h1>{statusCode} {title}</h1><p>{text}</p>" +
            $"<footer>Request ID <code>{WebUtility.HtmlEncode(requestId)}</code> · Portcullis</footer></main></body></html>\n");
        var response = context.Response;
        response.StatusCode = statusCode;
        response.ContentType = "text/html; charset=utf-8";
        response.ContentLength = body.Length;
        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        response.Headers.XFrameOptions = "DENY";
        response.Headers.CacheControl = "no-store";
        return HttpMethods.IsHead(context.Request.Method) ? Task.CompletedTask : response.Body.WriteAsync(body).AsTask();
    }

    private static (string Title, string Text) Describe(int statusCode) => statusCode switch
    {
        400 => ("Bad Request", "The request could not be understood."),
        403 => ("Forbidden", "This request was refused."),
        404 => ("Not Found", "There is no site at this address."),
        408 => ("Request Timeout", "The request took too long to arrive."),
        413 => ("Content Too Large", "The request body is larger than this site accepts."),
        421 => ("Misdirected Request", "This connection was made for another site; reconnect to the right host name."),
        429 => ("Too Many Requests", "Too many requests; please slow down and try again later."),
        502 => ("Bad Gateway", "The application behind this site is not answering right now. Please try again shortly."),
        503 => ("Service Unavailable", "The application behind this site is not available right now. Please try again shortly."),
        504 => ("Gateway Timeout", "The application behind this site took too long to answer."),
        _ => ("Error", "The request could not be completed."),
    };
}
