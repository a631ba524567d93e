namespace Portcullis.Demo;

/// <summary>
/// The demo application's own Content-Security-Policy, sent with every response it makes. The application sets it,
/// not the gateway, because only the application knows what its pages load: here one inline stylesheet (allowed by
/// its hash, not 'unsafe-inline'), forms that submit to the application itself, and no scripts at all. The gateway
/// passes it through and then leaves out X-Frame-Options, since frame-ancestors already says it (and wins).
/// </summary>
internal static class DemoContentSecurityPolicy
{
    public static string Value { get; } = string.Join("; ",
        "default-src 'none'",
        $"style-src {DemoHtml.StylesheetSource}",
        // The browser fetches /favicon.ico on its own; allowing it keeps the developer console free of CSP noise.
        "img-src 'self'",
        // /search (GET) and /login (POST) submit to the application.
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'");
}
