using System.Globalization;
using Portcullis.Audit.Grading;
using static Portcullis.Audit.Http.HttpFixes;

namespace Portcullis.Audit.Http;

/// <summary>
/// Turns the HTTP results into findings a person can act on: one for every Observatory result that costs points,
/// plus what the Observatory does not score (version banners, end-of-life software, HSTS without subdomains).
/// </summary>
internal static class HttpFindings
{
    private const string CookieFix = "Set cookies with Secure; HttpOnly; SameSite=Lax (or Strict) in the application. Portcullis does not rewrite Set-Cookie.";

    public static IReadOnlyList<AuditFinding> Build(IEnumerable<ObservatoryOutcome> outcomes, HstsPolicy? hsts, string? cspProblem, IReadOnlyList<Banner> banners)
    {
        var findings = outcomes.Select(o => ForOutcome(o, hsts, cspProblem)).OfType<AuditFinding>().ToList();
        if (hsts is { Valid: true, IncludeSubDomains: false })
        {
            findings.Add(new("http.hsts.no-subdomains", AuditArea.Http, FindingSeverity.Low, "HSTS does not cover subdomains",
                "Without includeSubDomains a network attacker can still use a plain-HTTP subdomain to set cookies for this site (RFC 6797 §14.4).",
                "Add includeSubDomains once every subdomain serves HTTPS.", HstsPortcullis, HstsNginx));
        }
        findings.AddRange(ForBanners(banners));
        return findings;
    }

    private static IEnumerable<AuditFinding> ForBanners(IReadOnlyList<Banner> banners)
    {
        foreach (var banner in banners.Where(b => b.EndOfLife is not null))
        {
            var eol = banner.EndOfLife!;
            yield return new($"http.banner.eol.{banner.Product.ToLowerInvariant()}", AuditArea.Http, FindingSeverity.High,
                $"{banner.Header}: {banner.Product} {banner.VersionText} is past its end of life ({eol.Branches}, unsupported since {eol.Since:yyyy-MM-dd})",
                "Upstream no longer fixes security bugs in this version. A distribution package may carry backported fixes; check your vendor's support, otherwise this is a server with known, unpatched holes.",
                $"Upgrade {banner.Product} to a supported release (table as of {EndOfLifeTable.AsOf:yyyy-MM-dd}), and stop announcing the version.",
                BannerPortcullis, BannerNginx);
        }
        var disclosed = banners.Where(b => b.VersionText is not null && b.EndOfLife is null).ToList();
        if (disclosed.Count > 0)
        {
            yield return new("http.banner.version", AuditArea.Http, FindingSeverity.Low,
                "Software versions disclosed: " + string.Join(", ", disclosed.Select(b => $"{b.Product}/{b.VersionText} ({b.Header})")),
                "A version number tells an attacker which known exploits to try first; it helps nobody else.",
                "Hide the version banners.", BannerPortcullis, BannerNginx);
        }
        var named = banners.Where(b => b.VersionText is null).Select(b => $"{b.Header}: {b.Product}").Distinct().ToList();
        if (named.Count > 0)
        {
            yield return new("http.banner.product", AuditArea.Http, FindingSeverity.Info,
                "Server software named: " + string.Join(", ", named),
                "Naming the software (without version) narrows an attacker's search a little.",
                "Remove the headers if you can.", BannerPortcullis, BannerNginx);
        }
    }

    private static AuditFinding? ForOutcome(ObservatoryOutcome outcome, HstsPolicy? hsts, string? cspProblem)
    {
        var score = ObservatoryScoreTable.Scores[outcome];
        if (score.Modifier >= 0)
        {
            return null;
        }
        var points = string.Create(CultureInfo.InvariantCulture, $" ({score.Modifier} on the Observatory score)");
        AuditFinding F(string id, FindingSeverity severity, string title, string why, string fix, string? portcullis, string? nginx) =>
            new(id, AuditArea.Http, severity, title + points, why, fix, portcullis, nginx);

        return outcome switch
        {
            ObservatoryOutcome.CspMissing => F("http.csp.missing", FindingSeverity.Medium, "No Content-Security-Policy",
                "Without a CSP any injected markup can run script: one XSS bug becomes account takeover.", "Send a CSP that starts from default-src 'none'.", CspPortcullis, CspNginx),
            ObservatoryOutcome.CspReportOnlyOnly => F("http.csp.report-only", FindingSeverity.Medium, "CSP is only Report-Only",
                "A Report-Only policy reports violations but blocks nothing.", "Enforce the policy with Content-Security-Policy once the reports are clean.", CspPortcullis, CspNginx),
            ObservatoryOutcome.CspInvalid => F("http.csp.invalid", FindingSeverity.Medium, $"Content-Security-Policy cannot be used: {cspProblem}",
                "Browsers skip what they cannot parse, so the policy protects less than it says.", "Fix the policy syntax (each directive once, separated by ';').", CspPortcullis, CspNginx),
            ObservatoryOutcome.CspUnsafeInline => F("http.csp.unsafe-inline", FindingSeverity.Medium, "CSP allows inline or broadly sourced script",
                "'unsafe-inline', data: or a scheme-wide source in script-src/object-src (or none at all) lets injected script run, which is what a CSP is for.",
                "Move inline script to files, or allow it by nonce or hash; set object-src 'none'.", CspPortcullis, CspNginx),
            ObservatoryOutcome.CspInsecureScheme => F("http.csp.http-sources", FindingSeverity.Medium, "CSP allows active content over plain HTTP",
                "A script or frame fetched over HTTP can be replaced by anyone on the network path.", "Use https: sources only.", CspPortcullis, CspNginx),
            ObservatoryOutcome.CspUnsafeEval => F("http.csp.unsafe-eval", FindingSeverity.Low, "CSP allows 'unsafe-eval'",
                "eval() turns injected strings into code.", "Remove eval() from the scripts, then 'unsafe-eval' from the policy.", CspPortcullis, CspNginx),
            ObservatoryOutcome.CspInsecureSchemeInPassiveContentOnly => F("http.csp.http-media", FindingSeverity.Low, "CSP allows images or media over plain HTTP",
                "Mixed passive content can be swapped or watched on the network.", "Use https: sources for img-src and media-src.", CspPortcullis, CspNginx),

            ObservatoryOutcome.HstsMissing => F("http.hsts.missing", FindingSeverity.High, "No Strict-Transport-Security",
                "Without HSTS a browser's first request can go over plain HTTP, where an attacker can strip TLS (sslstrip) and read or change everything.",
                "Send HSTS for at least six months; two years is the norm.", HstsPortcullis, HstsNginx),
            ObservatoryOutcome.HstsInvalid => F("http.hsts.invalid", FindingSeverity.High, $"Strict-Transport-Security is invalid: {hsts?.Problem}",
                "Browsers ignore an invalid HSTS header entirely (RFC 6797 §8.1), so the site has no HSTS.", "Send exactly one header with a numeric max-age.", HstsPortcullis, HstsNginx),
            ObservatoryOutcome.HstsLessThanSixMonths => F("http.hsts.short", FindingSeverity.Medium,
                string.Create(CultureInfo.InvariantCulture, $"HSTS max-age is only {hsts?.MaxAge} s (under six months)"),
                "A short max-age lets the protection lapse between visits; SSL Labs and the Observatory want at least six months.", "Raise max-age to 63072000 (two years).", HstsPortcullis, HstsNginx),
            ObservatoryOutcome.HstsInvalidCertificate => F("http.hsts.invalid-certificate", FindingSeverity.High, "HSTS is served with a certificate browsers reject",
                "Browsers ignore HSTS received over a connection with certificate errors (RFC 6797 §8.1).", "Serve a certificate from a trusted CA that names this host.", CertificatePortcullis, CertificateNginx),

            ObservatoryOutcome.XFrameOptionsMissing or ObservatoryOutcome.XFrameOptionsInvalid => F("http.frame.missing", FindingSeverity.Medium,
                outcome == ObservatoryOutcome.XFrameOptionsMissing ? "No framing protection (X-Frame-Options or CSP frame-ancestors)" : "X-Frame-Options is invalid",
                "Another site can load this one in a hidden frame and trick users into clicking (clickjacking).", "Send X-Frame-Options DENY or SAMEORIGIN, or CSP frame-ancestors.", FramePortcullis, FrameNginx),
            ObservatoryOutcome.XContentTypeOptionsMissing or ObservatoryOutcome.XContentTypeOptionsInvalid => F("http.nosniff.missing", FindingSeverity.Low,
                outcome == ObservatoryOutcome.XContentTypeOptionsMissing ? "No X-Content-Type-Options: nosniff" : "X-Content-Type-Options is not nosniff",
                "Browsers may guess a type and run an uploaded file as script or style.", "Send X-Content-Type-Options: nosniff.", NosniffPortcullis, NosniffNginx),
            ObservatoryOutcome.ReferrerPolicyUnsafe or ObservatoryOutcome.ReferrerPolicyInvalid => F("http.referrer.unsafe", FindingSeverity.Low,
                outcome == ObservatoryOutcome.ReferrerPolicyUnsafe ? "Referrer-Policy leaks full URLs" : "Referrer-Policy not recognised",
                "Full URLs (with tokens and search terms) go to every linked site.", "Send Referrer-Policy: strict-origin-when-cross-origin or stricter.", ReferrerPortcullis, ReferrerNginx),
            ObservatoryOutcome.CorpInvalid or ObservatoryOutcome.CoopInvalid or ObservatoryOutcome.CoepInvalid => F("http.cross-origin.invalid", FindingSeverity.Low,
                $"{score.Description}", "Browsers ignore a policy they cannot parse.", "Use one of the defined values.", IsolationPortcullis, IsolationNginx),
            ObservatoryOutcome.CorsUniversalWithCredentials => F("http.cors.reflects-origin", FindingSeverity.High, "CORS echoes any Origin and allows credentials",
                "Any web site a user visits can read this site's responses with the user's cookies.", "Allow only named origins in the application.", CorsPortcullis, CorsNginx),

            ObservatoryOutcome.CookiesSessionWithoutSecure or ObservatoryOutcome.CookiesSessionWithoutSecureButHsts => F("http.cookies.session-not-secure", FindingSeverity.High,
                "A session cookie is set without Secure", "The session id can leak over any plain-HTTP request to this host and be replayed.", CookieFix, null, CookiesNginx),
            ObservatoryOutcome.CookiesSessionWithoutHttpOnly => F("http.cookies.session-not-httponly", FindingSeverity.High, "A session cookie is set without HttpOnly",
                "Script can read the session id, so any XSS steals sessions.", CookieFix, null, CookiesNginx),
            ObservatoryOutcome.CookiesWithoutSecure or ObservatoryOutcome.CookiesWithoutSecureButHsts => F("http.cookies.not-secure", FindingSeverity.Medium, "Cookies are set without Secure",
                "Cookies without Secure are also sent over plain HTTP, where they can be read and changed.", CookieFix, null, CookiesNginx),
            ObservatoryOutcome.CookiesSameSiteInvalid or ObservatoryOutcome.CookiesAntiCsrfWithoutSameSite => F("http.cookies.samesite", FindingSeverity.Medium,
                outcome == ObservatoryOutcome.CookiesSameSiteInvalid ? "A cookie has an invalid SameSite (or None without Secure)" : "An anti-CSRF cookie has no SameSite",
                "Without a valid SameSite the cookie rides along on cross-site requests (CSRF).", CookieFix, null, CookiesNginx),

            ObservatoryOutcome.RedirectionMissing => F("http.redirect.missing", FindingSeverity.Medium, "Plain HTTP does not redirect to HTTPS",
                "Visitors who type the bare name stay on an unencrypted page that an attacker can rewrite.", "Answer every plain-HTTP request with 301/308 to https:// on the same host.", RedirectPortcullis, RedirectNginx),
            ObservatoryOutcome.RedirectionNotToHttps => F("http.redirect.not-https", FindingSeverity.Medium, "The HTTP redirect chain does not end on HTTPS",
                "The visitor ends up on a plain-HTTP page.", "Redirect to https:// on the same host.", RedirectPortcullis, RedirectNginx),
            ObservatoryOutcome.RedirectionNotToHttpsOnInitialRedirection => F("http.redirect.via-http", FindingSeverity.Low, "The first HTTP redirect goes to another plain-HTTP URL",
                "Every extra plain-HTTP hop is another place to strip TLS.", "Redirect to https:// on the same host first.", RedirectPortcullis, RedirectNginx),
            ObservatoryOutcome.RedirectionOffHostFromHttp => F("http.redirect.off-host", FindingSeverity.Low, "The first HTTP redirect goes to another host",
                "The browser never sees this host's HSTS over HTTPS, so the next visit starts on plain HTTP again (RFC 6797 §7.2).", "Redirect to https:// on the same host first, then to the other host.", RedirectPortcullis, RedirectNginx),
            ObservatoryOutcome.RedirectionInvalidCertificate => F("http.redirect.invalid-certificate", FindingSeverity.High, "The HTTPS redirect target has a certificate browsers reject",
                "Visitors following the redirect get a certificate warning.", "Serve a certificate from a trusted CA that names this host.", CertificatePortcullis, CertificateNginx),

            ObservatoryOutcome.SriMissingOnExternalHttpsScripts or ObservatoryOutcome.SriImplementedButHttpScripts or ObservatoryOutcome.SriMissingOnHttpScripts =>
                F("http.sri", outcome == ObservatoryOutcome.SriMissingOnExternalHttpsScripts ? FindingSeverity.Low : FindingSeverity.High, score.Description,
                "A compromised script host (or, over HTTP, anyone on the path) can run code in this site.", "Load scripts over HTTPS with integrity=\"sha384-…\" crossorigin=\"anonymous\".", null, null),
            _ => F($"http.{score.Test}", FindingSeverity.Low, score.Description, score.Description, score.Description, null, null),
        };
    }
}
