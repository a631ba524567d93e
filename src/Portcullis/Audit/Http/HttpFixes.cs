namespace Portcullis.Audit.Http;

/// <summary>
/// The fix snippets the HTTP findings suggest. Portcullis snippets use only keys that exist (docs/configuration.md:
/// <c>headers.set</c>, <c>headers.remove</c>, <c>listen.http</c>, a site's <c>tls</c>); where config cannot fix a
/// problem (cookie flags, script tags) the snippet is null and the fix says what to change in the application.
/// </summary>
internal static class HttpFixes
{
    public const string StrictCsp = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
        "frame-ancestors 'none'; form-action 'self'; base-uri 'none'";

    public static readonly string CspPortcullis = $"""
        headers:
          set:
            # start strict, then allow what your pages really load
            Content-Security-Policy: "{StrictCsp}"
        """;

    public static readonly string CspNginx = $"add_header Content-Security-Policy \"{StrictCsp}\" always;";

    public const string HstsPortcullis = """
        # Portcullis sends this by default on every HTTPS response; set it only to change it
        headers:
          set:
            Strict-Transport-Security: "max-age=63072000; includeSubDomains"
        """;

    public const string HstsNginx = "add_header Strict-Transport-Security \"max-age=63072000; includeSubDomains\" always;";

    public const string CertificatePortcullis = """
        sites:
          - name: www
            hosts: [www.example.com]
            tls: { acme: true }   # a trusted certificate from Let's Encrypt, renewed automatically
        """;

    public const string CertificateNginx = "ssl_certificate     /etc/letsencrypt/live/www.example.com/fullchain.pem;\nssl_certificate_key /etc/letsencrypt/live/www.example.com/privkey.pem;";

    public const string FramePortcullis = """
        # Portcullis sends X-Frame-Options: SAMEORIGIN by default; to forbid framing entirely:
        headers:
          set:
            X-Frame-Options: DENY
        """;

    public const string FrameNginx = "add_header X-Frame-Options DENY always;\n# or, preferred by browsers: add_header Content-Security-Policy \"frame-ancestors 'none'\" always;";

    public const string NosniffPortcullis = """
        # Portcullis sends this by default
        headers:
          set:
            X-Content-Type-Options: nosniff
        """;

    public const string NosniffNginx = "add_header X-Content-Type-Options nosniff always;";

    public const string ReferrerPortcullis = """
        # Portcullis sends strict-origin-when-cross-origin by default
        headers:
          set:
            Referrer-Policy: strict-origin-when-cross-origin
        """;

    public const string ReferrerNginx = "add_header Referrer-Policy strict-origin-when-cross-origin always;";

    public const string IsolationPortcullis = """
        headers:
          set:
            Cross-Origin-Resource-Policy: same-origin
            Cross-Origin-Opener-Policy: same-origin
        """;

    public const string IsolationNginx = "add_header Cross-Origin-Resource-Policy same-origin always;\nadd_header Cross-Origin-Opener-Policy same-origin always;";

    public const string CorsPortcullis = """
        headers:
          remove: [Access-Control-Allow-Origin, Access-Control-Allow-Credentials]   # until the application allows only named origins
        """;

    public const string CorsNginx = "proxy_hide_header Access-Control-Allow-Origin;\nproxy_hide_header Access-Control-Allow-Credentials;";

    public const string CookiesNginx = "proxy_cookie_flags ~ secure httponly samesite=lax;   # nginx 1.19.3+";

    public const string RedirectPortcullis = """
        listen:
          http: 0.0.0.0:80   # answers every plain-HTTP request with 308 to https:// on the same host
        """;

    public const string RedirectNginx = "server {\n    listen 80;\n    server_name www.example.com;\n    return 301 https://$host$request_uri;\n}";

    public const string BannerPortcullis = """
        # nothing to set: Portcullis always strips Server, X-Powered-By, X-AspNet-Version and X-AspNetMvc-Version;
        # list any other header that names software:
        headers:
          remove: [X-Generator, X-Runtime]
        """;

    public const string BannerNginx = "server_tokens off;\nproxy_hide_header X-Powered-By;\nproxy_hide_header X-AspNet-Version;\nproxy_hide_header X-AspNetMvc-Version;";
}
