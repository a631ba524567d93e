using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;

namespace Portcullis.Demo;

/// <summary>The demo's page layout (one inline stylesheet, shared navigation) and HTML encoding.</summary>
internal static class DemoHtml
{
    // Inline so the demo is one request per page and needs no static files.
    private const string Stylesheet =
        "body{font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:0 auto;padding:1rem;color:#1d2330;background:#fafbfc}"
        + "nav{display:flex;flex-wrap:wrap;gap:1rem;padding:.5rem 0;border-bottom:1px solid #d8dde6}"
        + "a{color:#0b5cad}code{background:#eef1f5;padding:0 .25rem;border-radius:3px}"
        + "table{border-collapse:collapse}th,td{text-align:left;padding:.25rem .75rem .25rem 0;vertical-align:top}"
        + "td{font-family:ui-monospace,monospace;word-break:break-all}"
        + "input,button{font:inherit;padding:.25rem .5rem;margin:.25rem 0}"
        + ".note{color:#5a6473;font-size:.9rem}.error{color:#a3121d}"
        + "footer{margin-top:2rem;padding-top:.5rem;border-top:1px solid #d8dde6;color:#5a6473;font-size:.85rem}";

    /// <summary>
    /// The CSP source that allows exactly the inline stylesheet: browsers hash the text between &lt;style&gt; and
    /// &lt;/style&gt; (CSP3 §8.4), so this is computed from the same constant and cannot drift from it.
    /// </summary>
    public static string StylesheetSource { get; } =
        $"'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(Stylesheet)))}'";

    /// <summary>HTML-encodes untrusted text for element content and quoted attribute values.</summary>
    public static string Encode(string? value) => HtmlEncoder.Default.Encode(value ?? string.Empty);

    /// <summary>
    /// Writes a full HTML5 page with an explicit Content-Length. <paramref name="title"/> is trusted text;
    /// <paramref name="body"/> is HTML whose untrusted parts the caller has already encoded.
    /// </summary>
    public static Task WriteAsync(HttpContext context, int statusCode, string title, string body)
    {
        var html = $"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{title} · Portcullis demo</title>
            <style>{Stylesheet}</style>
            </head>
            <body>
            <nav><a href="/">Home</a><a href="/search">Search</a><a href="/login">Login</a><a href="/api/items">API</a><a href="/cookie">Cookie</a></nav>
            <main>
            {body}
            </main>
            <footer>Portcullis demo application: a made-up shop that runs on a loopback port behind the Portcullis gateway. It keeps nothing beyond memory.</footer>
            </body>
            </html>

            """;
        var bytes = Encoding.UTF8.GetBytes(html);
        var response = context.Response;
        response.StatusCode = statusCode;
        response.ContentType = "text/html; charset=utf-8";
        response.ContentLength = bytes.Length;
        return response.Body.WriteAsync(bytes, context.RequestAborted).AsTask();
    }
}
