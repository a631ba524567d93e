using System.Diagnostics;
using System.Text.RegularExpressions;
using Portcullis.Audit.Grading;
using Portcullis.Tests.Audit.Targets;
using static Portcullis.Audit.Grading.ObservatoryScoreTable;

namespace Portcullis.Tests.Audit.Http;

/// <summary>
/// The HTTP half against Debian's real nginx: once as installed (version banner, no security headers, no HTTP
/// listener) and once with a model header set, a careless session cookie and an HTTP server that redirects.
/// </summary>
public sealed partial class HttpAuditorNginxTests(AuditPki pki) : IClassFixture<AuditPki>
{
    private const string Page = "location / { default_type text/html; return 200 \"<!doctype html><title>t</title><p>hello</p>\\n\"; }";

    private static string Tls => $"ssl_certificate {{cert}}; ssl_certificate_key {{key}}; server_name {AuditPki.HostName};";

    [Fact]
    public async Task Run_NginxAsInstalled_FindsMissingHeadersAndEndOfLifeBannerAndGradesD()
    {
        await using var nginx = await NginxTarget.StartAsync($"server {{ listen {{https}} ssl; {Tls} {Page} }}", pki.Pki.ChainPath, pki.Pki.KeyPath);

        var result = await AuditHelpers.AuditAsync(nginx.HttpsPort, nginx.HttpPort, pki.Pki.CaPath);

        Assert.True(result.Page?.CertificateVerified, result.Describe());
        Assert.Equal(ObservatoryOutcome.HstsMissing, result.Outcome(Hsts));
        Assert.Equal(ObservatoryOutcome.CspMissing, result.Outcome(Csp));
        Assert.Equal(ObservatoryOutcome.XFrameOptionsMissing, result.Outcome(XFrameOptions));
        Assert.Equal(ObservatoryOutcome.XContentTypeOptionsMissing, result.Outcome(XContentTypeOptions));
        Assert.Equal(ObservatoryOutcome.ReferrerPolicyMissing, result.Outcome(ReferrerPolicy));
        Assert.Equal(ObservatoryOutcome.RedirectionNoHttpListener, result.Outcome(Redirection));
        Assert.Equal(ObservatoryOutcome.SriNoScripts, result.Outcome(Sri));
        // 100 - 20 (HSTS) - 25 (CSP) - 20 (framing) - 5 (nosniff) = 30: D.
        Assert.Equal(("D", 30), (result.Grade!.Letter, result.Grade.Score));
        Assert.Contains(result.Findings, f => f.Id == "http.hsts.missing" && f.NginxFix!.Contains("Strict-Transport-Security", StringComparison.Ordinal)
            && f.PortcullisFix!.Contains("Strict-Transport-Security", StringComparison.Ordinal));
        Assert.Contains(result.Findings, f => f.Id == "http.csp.missing");

        var installed = await InstalledVersionAsync();
        var banner = Assert.Single(result.Banners, b => b.Product == "nginx");
        Assert.Equal(installed.ToString(), banner.VersionText);
        // Upstream nginx supports only the current stable and mainline branches (1.28 and 1.29 as this is written);
        // Debian 12's 1.22 went out of upstream support when 1.24 was released in April 2023.
        Assert.Equal(installed < new Version(1, 28), result.Findings.Any(f => f.Id == "http.banner.eol.nginx"));
    }

    [Fact]
    public async Task Run_NginxModelHeadersWithCarelessCookie_CookieCostsThirtyAndRedirectCounts()
    {
        const string headers = """
            add_header Strict-Transport-Security "max-age=63072000; includeSubDomains" always;
            add_header Content-Security-Policy "default-src 'none'; frame-ancestors 'none'; form-action 'none'" always;
            add_header X-Content-Type-Options nosniff always;
            add_header Referrer-Policy no-referrer always;
            add_header X-Frame-Options DENY always;
            add_header Set-Cookie "sessionid=abc123; Path=/" always;
            """;
        await using var nginx = await NginxTarget.StartAsync(
            $"server {{ listen {{http}}; server_name {AuditPki.HostName}; return 301 https://$host:{{https-port}}$request_uri; }}\n" +
            $"server {{ listen {{https}} ssl; {Tls} {headers} {Page} }}",
            pki.Pki.ChainPath, pki.Pki.KeyPath);

        var result = await AuditHelpers.AuditAsync(nginx.HttpsPort, nginx.HttpPort, pki.Pki.CaPath);

        Assert.Equal(ObservatoryOutcome.HstsAtLeastSixMonths, result.Outcome(Hsts));
        Assert.Equal(ObservatoryOutcome.CspNoUnsafeDefaultSrcNone, result.Outcome(Csp));
        Assert.Equal(ObservatoryOutcome.XFrameOptionsViaCspFrameAncestors, result.Outcome(XFrameOptions));
        Assert.Equal(ObservatoryOutcome.ReferrerPolicyPrivate, result.Outcome(ReferrerPolicy));
        Assert.Equal(ObservatoryOutcome.XContentTypeOptionsNosniff, result.Outcome(XContentTypeOptions));
        Assert.Equal(ObservatoryOutcome.RedirectionToHttps, result.Outcome(Redirection));
        Assert.Equal([301, 200], result.Redirects.Select(h => h.Status ?? 0));
        Assert.Equal($"https://{AuditPki.HostName}:{nginx.HttpsPort}/", result.Redirects[^1].Url.ToString());
        // A session cookie without HttpOnly (-30) is worse than without Secure under HSTS (-10); the worst counts.
        Assert.Equal(ObservatoryOutcome.CookiesSessionWithoutHttpOnly, result.Outcome(Cookies));
        var cookie = Assert.Single(result.Cookies);
        Assert.Equal(("sessionid", false, false), (cookie.Name, cookie.Secure, cookie.HttpOnly));
        // 100 - 30 = 70 is under 90, so the +10/+5/+5 bonuses do not count: B.
        Assert.Equal(("B", 70), (result.Grade!.Letter, result.Grade.Score));
        Assert.Contains(result.Findings, f => f.Id == "http.cookies.session-not-httponly" && f.PortcullisFix is null
            && f.NginxFix!.Contains("proxy_cookie_flags", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_NginxModelHeadersWithoutTrustedCa_HstsAndRedirectCountAsInvalidCertificate()
    {
        await using var nginx = await NginxTarget.StartAsync(
            $"server {{ listen {{http}}; return 301 https://$host:{{https-port}}$request_uri; }}\n" +
            $"server {{ listen {{https}} ssl; {Tls} add_header Strict-Transport-Security \"max-age=63072000\" always; {Page} }}",
            pki.Pki.ChainPath, pki.Pki.KeyPath);

        var result = await AuditHelpers.AuditAsync(nginx.HttpsPort, nginx.HttpPort, caFile: null);

        // RFC 6797 §8.1: HSTS over a connection with certificate errors is ignored, and the Observatory scores it so.
        Assert.False(result.Page!.CertificateVerified);
        Assert.Equal(ObservatoryOutcome.HstsInvalidCertificate, result.Outcome(Hsts));
        Assert.Equal(ObservatoryOutcome.RedirectionInvalidCertificate, result.Outcome(Redirection));
    }

    private static async Task<Version> InstalledVersionAsync()
    {
        using var process = Process.Start(new ProcessStartInfo(NginxTarget.Executable, "-v") { RedirectStandardError = true, UseShellExecute = false })!;
        var text = await process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await process.WaitForExitAsync(timeout.Token);
        return Version.Parse(VersionPattern().Match(text).Groups[1].Value);
    }

    [GeneratedRegex(@"nginx/(\d+\.\d+\.\d+)")]
    private static partial Regex VersionPattern();
}
