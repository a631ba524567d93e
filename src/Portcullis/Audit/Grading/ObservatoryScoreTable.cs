namespace Portcullis.Audit.Grading;

/// <summary>
/// The HTTP Observatory's points per test result (mdn/mdn-http-observatory src/grader/charts.js SCORE_TABLE, after
/// release 1.6.3 with COOP/COEP; see shared/notes/tls.md §4). Two results the Observatory has are absent here because
/// the audit cannot know them: "preloaded" for HSTS and redirection (the audit ships no preload list) and "HTML not
/// parseable" (the audit does not build a DOM).
/// </summary>
internal static class ObservatoryScoreTable
{
    public const string Csp = "content-security-policy";
    public const string Cookies = "cookies";
    public const string Cors = "cross-origin-resource-sharing";
    public const string Redirection = "redirection";
    public const string ReferrerPolicy = "referrer-policy";
    public const string Hsts = "strict-transport-security";
    public const string Sri = "subresource-integrity";
    public const string XContentTypeOptions = "x-content-type-options";
    public const string XFrameOptions = "x-frame-options";
    public const string Corp = "cross-origin-resource-policy";
    public const string Coop = "cross-origin-opener-policy";
    public const string Coep = "cross-origin-embedder-policy";

    public static IReadOnlyDictionary<ObservatoryOutcome, ObservatoryScore> Scores { get; } = new Dictionary<ObservatoryOutcome, ObservatoryScore>
    {
        [ObservatoryOutcome.CspNoUnsafeDefaultSrcNone] = new(Csp, 10, "CSP with default-src 'none' and nothing unsafe"),
        [ObservatoryOutcome.CspNoUnsafe] = new(Csp, 5, "CSP without 'unsafe-inline' or 'unsafe-eval'"),
        [ObservatoryOutcome.CspUnsafeInlineInStyleSrcOnly] = new(Csp, 0, "CSP allows unsafe sources in style-src only"),
        [ObservatoryOutcome.CspDuplicateDirectives] = new(Csp, 0, "CSP repeats report-uri or report-to"),
        [ObservatoryOutcome.CspInsecureSchemeInPassiveContentOnly] = new(Csp, -10, "CSP lets images or media load over HTTP"),
        [ObservatoryOutcome.CspUnsafeEval] = new(Csp, -10, "CSP allows 'unsafe-eval'"),
        [ObservatoryOutcome.CspUnsafeInline] = new(Csp, -20, "CSP allows inline script, data: script or broad script/object sources"),
        [ObservatoryOutcome.CspInsecureScheme] = new(Csp, -20, "CSP lets active content load over HTTP"),
        [ObservatoryOutcome.CspInvalid] = new(Csp, -25, "CSP header cannot be parsed"),
        [ObservatoryOutcome.CspMissing] = new(Csp, -25, "no Content-Security-Policy header"),
        [ObservatoryOutcome.CspReportOnlyOnly] = new(Csp, -25, "only Content-Security-Policy-Report-Only, which enforces nothing"),

        [ObservatoryOutcome.CookiesSecureHttpOnlySessionsAndSameSite] = new(Cookies, 5, "all cookies Secure, session cookies HttpOnly, SameSite set"),
        [ObservatoryOutcome.CookiesSecureHttpOnlySessions] = new(Cookies, 0, "all cookies Secure and session cookies HttpOnly, but no SameSite"),
        [ObservatoryOutcome.CookiesNone] = new(Cookies, 0, "no cookies set"),
        [ObservatoryOutcome.CookiesWithoutSecureButHsts] = new(Cookies, -5, "cookies without Secure (HSTS protects them)"),
        [ObservatoryOutcome.CookiesSessionWithoutSecureButHsts] = new(Cookies, -10, "session cookie without Secure (HSTS protects it)"),
        [ObservatoryOutcome.CookiesWithoutSecure] = new(Cookies, -20, "cookies without Secure"),
        [ObservatoryOutcome.CookiesSameSiteInvalid] = new(Cookies, -20, "SameSite is invalid, or None without Secure"),
        [ObservatoryOutcome.CookiesAntiCsrfWithoutSameSite] = new(Cookies, -20, "anti-CSRF cookie without SameSite"),
        [ObservatoryOutcome.CookiesSessionWithoutHttpOnly] = new(Cookies, -30, "session cookie without HttpOnly"),
        [ObservatoryOutcome.CookiesSessionWithoutSecure] = new(Cookies, -40, "session cookie without Secure"),

        [ObservatoryOutcome.CorsNone] = new(Cors, 0, "no CORS headers"),
        [ObservatoryOutcome.CorsPublic] = new(Cors, 0, "CORS open to any origin, without credentials"),
        [ObservatoryOutcome.CorsRestricted] = new(Cors, 0, "CORS restricted to named origins"),
        [ObservatoryOutcome.CorsUniversalWithCredentials] = new(Cors, -50, "CORS reflects any origin and allows credentials"),

        [ObservatoryOutcome.RedirectionToHttps] = new(Redirection, 0, "HTTP redirects to HTTPS on the same host"),
        [ObservatoryOutcome.RedirectionNoHttpListener] = new(Redirection, 0, "no plain-HTTP listener"),
        [ObservatoryOutcome.RedirectionOffHostFromHttp] = new(Redirection, -5, "HTTP redirects to HTTPS on another host first"),
        [ObservatoryOutcome.RedirectionNotToHttpsOnInitialRedirection] = new(Redirection, -10, "HTTP redirects to another HTTP URL first"),
        [ObservatoryOutcome.RedirectionNotToHttps] = new(Redirection, -20, "HTTP redirects, but not to HTTPS in the end"),
        [ObservatoryOutcome.RedirectionMissing] = new(Redirection, -20, "HTTP answers without redirecting to HTTPS"),
        [ObservatoryOutcome.RedirectionInvalidCertificate] = new(Redirection, -20, "the HTTPS redirect target has an invalid certificate"),

        [ObservatoryOutcome.ReferrerPolicyPrivate] = new(ReferrerPolicy, 5, "Referrer-Policy keeps URLs private"),
        [ObservatoryOutcome.ReferrerPolicyMissing] = new(ReferrerPolicy, 0, "no Referrer-Policy (browsers default to strict-origin-when-cross-origin)"),
        [ObservatoryOutcome.ReferrerPolicyUnsafe] = new(ReferrerPolicy, -5, "Referrer-Policy leaks full URLs or to HTTP"),
        [ObservatoryOutcome.ReferrerPolicyInvalid] = new(ReferrerPolicy, -5, "Referrer-Policy not recognised"),

        [ObservatoryOutcome.HstsAtLeastSixMonths] = new(Hsts, 0, "HSTS for at least six months"),
        [ObservatoryOutcome.HstsLessThanSixMonths] = new(Hsts, -10, "HSTS max-age under six months"),
        [ObservatoryOutcome.HstsMissing] = new(Hsts, -20, "no Strict-Transport-Security header"),
        [ObservatoryOutcome.HstsInvalid] = new(Hsts, -20, "Strict-Transport-Security header invalid"),
        [ObservatoryOutcome.HstsInvalidCertificate] = new(Hsts, -20, "HSTS over an invalid certificate (browsers ignore it)"),

        [ObservatoryOutcome.SriImplementedSecurely] = new(Sri, 5, "external scripts carry integrity and load over HTTPS"),
        [ObservatoryOutcome.SriNotHtml] = new(Sri, 0, "not an HTML page"),
        [ObservatoryOutcome.SriNoScripts] = new(Sri, 0, "no scripts"),
        [ObservatoryOutcome.SriSameOriginScriptsOnly] = new(Sri, 0, "scripts from the same origin only"),
        [ObservatoryOutcome.SriMissingOnExternalHttpsScripts] = new(Sri, -5, "external scripts over HTTPS without integrity"),
        [ObservatoryOutcome.SriImplementedButHttpScripts] = new(Sri, -20, "integrity used, but scripts load over HTTP"),
        [ObservatoryOutcome.SriMissingOnHttpScripts] = new(Sri, -50, "scripts over HTTP without integrity"),

        [ObservatoryOutcome.XContentTypeOptionsNosniff] = new(XContentTypeOptions, 0, "X-Content-Type-Options: nosniff"),
        [ObservatoryOutcome.XContentTypeOptionsMissing] = new(XContentTypeOptions, -5, "no X-Content-Type-Options"),
        [ObservatoryOutcome.XContentTypeOptionsInvalid] = new(XContentTypeOptions, -5, "X-Content-Type-Options not nosniff"),

        [ObservatoryOutcome.XFrameOptionsViaCspFrameAncestors] = new(XFrameOptions, 5, "framing controlled by CSP frame-ancestors"),
        [ObservatoryOutcome.XFrameOptionsDenyOrSameOrigin] = new(XFrameOptions, 5, "X-Frame-Options DENY or SAMEORIGIN"),
        [ObservatoryOutcome.XFrameOptionsAllowFrom] = new(XFrameOptions, 0, "X-Frame-Options ALLOW-FROM (ignored by current browsers)"),
        [ObservatoryOutcome.XFrameOptionsMissing] = new(XFrameOptions, -20, "no X-Frame-Options and no frame-ancestors"),
        [ObservatoryOutcome.XFrameOptionsInvalid] = new(XFrameOptions, -20, "X-Frame-Options invalid"),

        [ObservatoryOutcome.CorpSameOriginOrSameSite] = new(Corp, 10, "Cross-Origin-Resource-Policy same-origin or same-site"),
        [ObservatoryOutcome.CorpCrossOriginOrMissing] = new(Corp, 0, "Cross-Origin-Resource-Policy cross-origin or missing"),
        [ObservatoryOutcome.CorpInvalid] = new(Corp, -5, "Cross-Origin-Resource-Policy invalid"),

        [ObservatoryOutcome.CoopIsolating] = new(Coop, 10, "Cross-Origin-Opener-Policy isolates the window"),
        [ObservatoryOutcome.CoopMissing] = new(Coop, 0, "Cross-Origin-Opener-Policy missing or unsafe-none"),
        [ObservatoryOutcome.CoopInvalid] = new(Coop, -5, "Cross-Origin-Opener-Policy invalid"),

        [ObservatoryOutcome.CoepIsolating] = new(Coep, 10, "Cross-Origin-Embedder-Policy require-corp or credentialless"),
        [ObservatoryOutcome.CoepMissing] = new(Coep, 0, "Cross-Origin-Embedder-Policy missing or unsafe-none"),
        [ObservatoryOutcome.CoepInvalid] = new(Coep, -5, "Cross-Origin-Embedder-Policy invalid"),
    };
}
