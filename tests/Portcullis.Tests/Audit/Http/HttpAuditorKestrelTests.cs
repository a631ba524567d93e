using Microsoft.AspNetCore.Http;
using Portcullis.Audit.Grading;
using Portcullis.Audit.Http;
using Portcullis.Tests.Audit.Targets;
using static Portcullis.Audit.Grading.ObservatoryScoreTable;

namespace Portcullis.Tests.Audit.Http;

/// <summary>
/// Header, cookie, script and redirect edge cases against a real Kestrel server on loopback: each row sends the
/// headers over HTTPS and names the Observatory result the audit must give for one test.
/// </summary>
public sealed class HttpAuditorKestrelTests(AuditPki pki) : IClassFixture<AuditPki>
{
    private const string Hsts2y = "max-age=63072000; includeSubDomains";

    public static TheoryData<string, string[], string> HeaderCases => new()
    {
        // CSP
        { Csp, ["Content-Security-Policy", "default-src 'self'; script-src 'self' 'unsafe-inline'"], nameof(ObservatoryOutcome.CspUnsafeInline) },
        { Csp, ["Content-Security-Policy", "default-src 'none'; script-src data:"], nameof(ObservatoryOutcome.CspUnsafeInline) },
        { Csp, ["Content-Security-Policy", "default-src 'self'; object-src https:"], nameof(ObservatoryOutcome.CspUnsafeInline) },
        { Csp, ["Content-Security-Policy", "img-src 'self'"], nameof(ObservatoryOutcome.CspUnsafeInline) },
        { Csp, ["Content-Security-Policy", "default-src 'self'; script-src 'self' 'unsafe-eval'"], nameof(ObservatoryOutcome.CspUnsafeEval) },
        { Csp, ["Content-Security-Policy", "default-src 'self'; script-src 'self' http://cdn.example"], nameof(ObservatoryOutcome.CspInsecureScheme) },
        { Csp, ["Content-Security-Policy", "default-src 'none'; img-src http://cdn.example"], nameof(ObservatoryOutcome.CspInsecureSchemeInPassiveContentOnly) },
        { Csp, ["Content-Security-Policy", "default-src 'self'; style-src 'self' 'unsafe-inline'"], nameof(ObservatoryOutcome.CspUnsafeInlineInStyleSrcOnly) },
        { Csp, ["Content-Security-Policy", "default-src 'self'; script-src 'nonce-r4nd0m' 'unsafe-inline'"], nameof(ObservatoryOutcome.CspNoUnsafe) },
        { Csp, ["Content-Security-Policy", "default-src 'none'; script-src 'self'"], nameof(ObservatoryOutcome.CspNoUnsafeDefaultSrcNone) },
        { Csp, ["Content-Security-Policy", "default-src 'self'; default-src 'none'"], nameof(ObservatoryOutcome.CspInvalid) },
        { Csp, ["Content-Security-Policy", "default-src 'self'; script-src 'strict-dynamic'"], nameof(ObservatoryOutcome.CspInvalid) },
        { Csp, ["Content-Security-Policy", "default-src 'none'; report-uri /a; report-uri /b"], nameof(ObservatoryOutcome.CspDuplicateDirectives) },
        { Csp, ["Content-Security-Policy-Report-Only", "default-src 'none'"], nameof(ObservatoryOutcome.CspReportOnlyOnly) },
        // HSTS
        { Hsts, ["Strict-Transport-Security", "max-age=abc"], nameof(ObservatoryOutcome.HstsInvalid) },
        { Hsts, ["Strict-Transport-Security", "includeSubDomains"], nameof(ObservatoryOutcome.HstsInvalid) },
        { Hsts, ["Strict-Transport-Security", "max-age=63072000", "Strict-Transport-Security", "max-age=0"], nameof(ObservatoryOutcome.HstsInvalid) },
        { Hsts, ["Strict-Transport-Security", "max-age=1; max-age=63072000"], nameof(ObservatoryOutcome.HstsInvalid) },
        { Hsts, ["Strict-Transport-Security", "max-age=15551999"], nameof(ObservatoryOutcome.HstsLessThanSixMonths) },
        { Hsts, ["Strict-Transport-Security", "max-age=\"15552000\"; preload"], nameof(ObservatoryOutcome.HstsAtLeastSixMonths) },
        // Framing
        { XFrameOptions, ["X-Frame-Options", "ALLOW-FROM https://example.com/"], nameof(ObservatoryOutcome.XFrameOptionsAllowFrom) },
        { XFrameOptions, ["X-Frame-Options", "allowall"], nameof(ObservatoryOutcome.XFrameOptionsInvalid) },
        { XFrameOptions, ["X-Frame-Options", "sameorigin"], nameof(ObservatoryOutcome.XFrameOptionsDenyOrSameOrigin) },
        { XFrameOptions, ["X-Frame-Options", "allowall", "Content-Security-Policy", "frame-ancestors 'self'"], nameof(ObservatoryOutcome.XFrameOptionsViaCspFrameAncestors) },
        // Cookies (HSTS is sent in every row unless the row sends its own)
        { Cookies, ["Set-Cookie", "__Host-SESSION=1; Path=/; Secure; HttpOnly; SameSite=Lax"], nameof(ObservatoryOutcome.CookiesSecureHttpOnlySessionsAndSameSite) },
        { Cookies, ["Set-Cookie", "theme=dark; Secure"], nameof(ObservatoryOutcome.CookiesSecureHttpOnlySessions) },
        { Cookies, ["Set-Cookie", "theme=dark"], nameof(ObservatoryOutcome.CookiesWithoutSecureButHsts) },
        { Cookies, ["Set-Cookie", "theme=dark", "Strict-Transport-Security", "max-age=60"], nameof(ObservatoryOutcome.CookiesWithoutSecure) },
        { Cookies, ["Set-Cookie", "login=1; Secure; SameSite=Strict"], nameof(ObservatoryOutcome.CookiesSessionWithoutHttpOnly) },
        { Cookies, ["Set-Cookie", "sessid=1; HttpOnly; SameSite=Lax", "Strict-Transport-Security", "max-age=60"], nameof(ObservatoryOutcome.CookiesSessionWithoutSecure) },
        { Cookies, ["Set-Cookie", "csrftoken=x; Secure"], nameof(ObservatoryOutcome.CookiesAntiCsrfWithoutSameSite) },
        { Cookies, ["Set-Cookie", "id=1; Secure; SameSite=Bogus"], nameof(ObservatoryOutcome.CookiesSameSiteInvalid) },
        { Cookies, ["Set-Cookie", "id=1; SameSite=None"], nameof(ObservatoryOutcome.CookiesSameSiteInvalid) },
        // Referrer-Policy: the last known value wins
        { ReferrerPolicy, ["Referrer-Policy", "unsafe-url"], nameof(ObservatoryOutcome.ReferrerPolicyUnsafe) },
        { ReferrerPolicy, ["Referrer-Policy", "no-referrer, bogus"], nameof(ObservatoryOutcome.ReferrerPolicyPrivate) },
        { ReferrerPolicy, ["Referrer-Policy", "bogus"], nameof(ObservatoryOutcome.ReferrerPolicyInvalid) },
        // nosniff, CORS, CORP/COOP/COEP
        { XContentTypeOptions, ["X-Content-Type-Options", "sniff-please"], nameof(ObservatoryOutcome.XContentTypeOptionsInvalid) },
        { Cors, ["Access-Control-Allow-Origin", "*"], nameof(ObservatoryOutcome.CorsPublic) },
        { Cors, ["Access-Control-Allow-Origin", "https://portcullis-audit.invalid", "Access-Control-Allow-Credentials", "true"], nameof(ObservatoryOutcome.CorsUniversalWithCredentials) },
        { Cors, ["Access-Control-Allow-Origin", "https://partner.example", "Access-Control-Allow-Credentials", "true"], nameof(ObservatoryOutcome.CorsRestricted) },
        { Corp, ["Cross-Origin-Resource-Policy", "same-site"], nameof(ObservatoryOutcome.CorpSameOriginOrSameSite) },
        { Corp, ["Cross-Origin-Resource-Policy", "nobody"], nameof(ObservatoryOutcome.CorpInvalid) },
        { Coop, ["Cross-Origin-Opener-Policy", "same-origin; report-to=\"r\""], nameof(ObservatoryOutcome.CoopIsolating) },
        { Coep, ["Cross-Origin-Embedder-Policy", "require-corp"], nameof(ObservatoryOutcome.CoepIsolating) },
    };

    [Theory]
    [MemberData(nameof(HeaderCases))]
    public async Task Run_Headers_GiveObservatoryResult(string test, string[] headers, string outcome)
    {
        var expected = Enum.Parse<ObservatoryOutcome>(outcome);
        var fields = Pairs(headers).ToList();
        if (!fields.Any(f => f.Name == "Strict-Transport-Security"))
        {
            fields.Add(("Strict-Transport-Security", Hsts2y));
        }
        await using var target = await KestrelTarget.StartAsync(pki.Pki, fields);

        var result = await AuditHelpers.AuditAsync(target.HttpsPort, target.HttpPort, pki.Pki.CaPath);

        Assert.True(expected == result.Outcome(test), $"{test}: expected {expected}\n{result.Describe()}");
        var modifier = Scores[expected].Modifier;
        Assert.Equal(modifier < 0, result.Findings.Any(f => f.Title.EndsWith($"({modifier} on the Observatory score)", StringComparison.Ordinal)));
    }

    public static TheoryData<string, string, string> ScriptCases => new()
    {
        { "text/html", "<p>no scripts</p>", nameof(ObservatoryOutcome.SriNoScripts) },
        { "text/html", "<script src=\"/app.js\"></script>", nameof(ObservatoryOutcome.SriSameOriginScriptsOnly) },
        { "text/html", "<script src=\"https://cdn.example/lib.js\"></script>", nameof(ObservatoryOutcome.SriMissingOnExternalHttpsScripts) },
        { "text/html", "<SCRIPT integrity='sha384-abc' crossorigin=anonymous src='https://cdn.example/lib.js'></SCRIPT>", nameof(ObservatoryOutcome.SriImplementedSecurely) },
        { "text/html", "<script src=http://cdn.example/lib.js></script>", nameof(ObservatoryOutcome.SriMissingOnHttpScripts) },
        { "text/html", "<script integrity=\"sha384-abc\" src=\"http://cdn.example/lib.js\"></script>", nameof(ObservatoryOutcome.SriImplementedButHttpScripts) },
        { "application/json", "{\"a\":\"<script src=https://x.example/a.js></script>\"}", nameof(ObservatoryOutcome.SriNotHtml) },
    };

    [Theory]
    [MemberData(nameof(ScriptCases))]
    public async Task Run_ScriptTags_GiveSubresourceIntegrityResult(string contentType, string body, string outcome)
    {
        var expected = Enum.Parse<ObservatoryOutcome>(outcome);
        await using var target = await KestrelTarget.StartAsync(pki.Pki, [("Strict-Transport-Security", Hsts2y)], body: body, contentType: contentType);

        var result = await AuditHelpers.AuditAsync(target.HttpsPort, target.HttpPort, pki.Pki.CaPath);

        Assert.Equal(expected, result.Outcome(Sri));
    }

    [Fact]
    public async Task Run_HttpRedirectsToAnotherHost_OffHostAndChainStopsThere()
    {
        await using var target = await KestrelTarget.StartAsync(pki.Pki, [("Strict-Transport-Security", Hsts2y)],
            http: (context, _) => context.Response.Redirect("https://www.elsewhere.test/", permanent: true));

        var result = await AuditHelpers.AuditAsync(target.HttpsPort, target.HttpPort, pki.Pki.CaPath);

        Assert.Equal(ObservatoryOutcome.RedirectionOffHostFromHttp, result.Outcome(Redirection));
        Assert.Equal([301, null], result.Redirects.Select(h => h.Status));
        Assert.Contains("www.elsewhere.test", result.HttpNote, StringComparison.Ordinal);
        Assert.Contains(result.Findings, f => f.Id == "http.redirect.off-host");
    }

    [Fact]
    public async Task Run_HttpRedirectsToHttpThenHttps_NotToHttpsOnInitialRedirection()
    {
        await using var target = await KestrelTarget.StartAsync(pki.Pki, [("Strict-Transport-Security", Hsts2y)],
            http: (context, httpsPort) => context.Response.Redirect(context.Request.Path == "/"
                ? $"http://{context.Request.Host}/step"
                : $"https://{context.Request.Host.Host}:{httpsPort}/"));

        var result = await AuditHelpers.AuditAsync(target.HttpsPort, target.HttpPort, pki.Pki.CaPath);

        Assert.Equal(ObservatoryOutcome.RedirectionNotToHttpsOnInitialRedirection, result.Outcome(Redirection));
        Assert.Equal([302, 302, 200], result.Redirects.Select(h => h.Status));
    }

    [Fact]
    public async Task Run_HttpRedirectsOnlyToHttp_NotToHttps()
    {
        await using var target = await KestrelTarget.StartAsync(pki.Pki, [("Strict-Transport-Security", Hsts2y)],
            http: (context, _) =>
            {
                if (context.Request.Path == "/")
                {
                    context.Response.Redirect($"http://{context.Request.Host}/home");
                }
            });

        var result = await AuditHelpers.AuditAsync(target.HttpsPort, target.HttpPort, pki.Pki.CaPath);

        Assert.Equal(ObservatoryOutcome.RedirectionNotToHttps, result.Outcome(Redirection));
        Assert.Equal([302, 200], result.Redirects.Select(h => h.Status));
    }

    [Fact]
    public async Task Run_HttpAnswersWithoutRedirect_RedirectionMissing()
    {
        await using var target = await KestrelTarget.StartAsync(pki.Pki, [("Strict-Transport-Security", Hsts2y)], http: (_, _) => { });

        var result = await AuditHelpers.AuditAsync(target.HttpsPort, target.HttpPort, pki.Pki.CaPath);

        Assert.Equal(ObservatoryOutcome.RedirectionMissing, result.Outcome(Redirection));
        Assert.Contains(result.Findings, f => f.Id == "http.redirect.missing" && f.PortcullisFix!.Contains("http:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_HttpRedirectLoop_StopsAfterTheHopLimit()
    {
        var hits = 0;
        await using var target = await KestrelTarget.StartAsync(pki.Pki, [("Strict-Transport-Security", Hsts2y)],
            http: (context, _) =>
            {
                Interlocked.Increment(ref hits);
                context.Response.Redirect($"http://{context.Request.Host}/");
            });

        var result = await AuditHelpers.AuditAsync(target.HttpsPort, target.HttpPort, pki.Pki.CaPath);

        Assert.Equal(HttpAuditor.MaxRedirects + 1, Volatile.Read(ref hits));
        Assert.Equal(ObservatoryOutcome.RedirectionNotToHttps, result.Outcome(Redirection));
        Assert.Contains("more than", result.HttpNote, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_BannersAndEndOfLifeVersions_Reported()
    {
        await using var target = await KestrelTarget.StartAsync(pki.Pki,
        [
            ("Strict-Transport-Security", Hsts2y),
            ("Server", "Apache/2.2.34 (Unix) OpenSSL/1.0.2k-fips"),
            ("X-Powered-By", "PHP/8.3.9"),
            ("X-AspNet-Version", "4.0.30319"),
        ]);

        var result = await AuditHelpers.AuditAsync(target.HttpsPort, target.HttpPort, pki.Pki.CaPath);

        Assert.Equal(["Apache 2.2.34", "OpenSSL 1.0.2k-fips", "PHP 8.3.9", "x-aspnet-version 4.0.30319"],
            result.Banners.Select(b => $"{b.Product} {b.VersionText}"));
        Assert.Contains(result.Findings, f => f.Id == "http.banner.eol.apache" && f.Severity == Portcullis.Audit.FindingSeverity.High);
        Assert.Contains(result.Findings, f => f.Id == "http.banner.eol.openssl");
        var disclosed = Assert.Single(result.Findings, f => f.Id == "http.banner.version");
        Assert.Contains("PHP/8.3.9", disclosed.Title, StringComparison.Ordinal);
        Assert.DoesNotContain(result.Findings, f => f.Id == "http.banner.eol.php");
    }

    private static IEnumerable<(string Name, string Value)> Pairs(string[] flat)
    {
        for (var i = 0; i + 1 < flat.Length; i += 2)
        {
            yield return (flat[i], flat[i + 1]);
        }
    }
}
