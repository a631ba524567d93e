using System.Net;
using Portcullis.Audit;
using Portcullis.Audit.Grading;
using Portcullis.Audit.Http;
using Portcullis.Tests.Integration;
using Portcullis.Tests.TestSupport;
using static Portcullis.Audit.Grading.ObservatoryScoreTable;

namespace Portcullis.Tests.Audit.Http;

/// <summary>
/// The HTTP half against the real gateway (self-signed certificate passed as the trusted root, SNI app.test): with
/// its default headers in front of an application that sends none of its own, with a CSP configured, and on the
/// gateway's own pages.
/// </summary>
public sealed class HttpAuditorGatewayTests
{
    private const string StrictCsp = "default-src 'none'; frame-ancestors 'none'; form-action 'none'";

    [Fact]
    public async Task Run_GatewayDefaults_OnlyTheMissingContentSecurityPolicyCostsPoints()
    {
        await using var origin = await TestOrigin.StartAsync("o");
        await using var gateway = await TestGateway.StartAsync(ForwardingTests.SingleRoute($"\"{origin.Url}\""));

        var result = await AuditAsync(gateway);

        Assert.True(result.Page!.CertificateVerified, result.Describe());
        Assert.Equal(ObservatoryOutcome.HstsAtLeastSixMonths, result.Outcome(Hsts));
        Assert.Equal(ObservatoryOutcome.RedirectionToHttps, result.Outcome(Redirection));
        Assert.Equal([308, 200], result.Redirects.Select(h => h.Status ?? 0));
        Assert.Equal(ObservatoryOutcome.XFrameOptionsDenyOrSameOrigin, result.Outcome(XFrameOptions));
        Assert.Equal(ObservatoryOutcome.XContentTypeOptionsNosniff, result.Outcome(XContentTypeOptions));
        Assert.Equal(ObservatoryOutcome.ReferrerPolicyPrivate, result.Outcome(ReferrerPolicy));
        // The origin sends X-Powered-By and X-AspNet-Version; the gateway strips them.
        Assert.Empty(result.Banners);
        // What keeps the default gateway from A+: no Content-Security-Policy on proxied responses (-25), so the
        // +5/+5 bonuses do not count either: 75, B. The gateway adds a CSP only to its own pages.
        var penalties = result.Outcomes.Where(o => Scores[o].Modifier < 0).ToList();
        Assert.Equal([ObservatoryOutcome.CspMissing], penalties);
        Assert.Equal(("B", 75), (result.Grade!.Letter, result.Grade.Score));
    }

    [Fact]
    public async Task Run_GatewayWithContentSecurityPolicySet_GradesAPlus()
    {
        await using var origin = await TestOrigin.StartAsync("o");
        await using var gateway = await TestGateway.StartAsync(ForwardingTests.SingleRoute($"\"{origin.Url}\"") +
            $"\nheaders: {{ set: {{ Content-Security-Policy: \"{StrictCsp}\" }} }}\n");

        var result = await AuditAsync(gateway);

        Assert.Equal(ObservatoryOutcome.CspNoUnsafeDefaultSrcNone, result.Outcome(Csp));
        Assert.Equal(ObservatoryOutcome.XFrameOptionsViaCspFrameAncestors, result.Outcome(XFrameOptions));
        Assert.DoesNotContain(result.Outcomes, o => Scores[o].Modifier < 0);
        // 100 + 10 (CSP) + 5 (Referrer-Policy) + 5 (frame-ancestors) = 120.
        Assert.Equal(("A+", 120), (result.Grade!.Letter, result.Grade.Score));
        Assert.DoesNotContain(result.Findings, f => f.Severity > FindingSeverity.Low);
    }

    [Fact]
    public async Task Run_GatewayOwnPage_GradesAPlus()
    {
        await using var origin = await TestOrigin.StartAsync("o");
        // Only /api is routed, so GET / is answered by the gateway's own 404 page.
        await using var gateway = await TestGateway.StartAsync(ForwardingTests.SingleRoute($"\"{origin.Url}\"").Replace("path: /", "path: /api", StringComparison.Ordinal));

        var result = await AuditAsync(gateway);

        Assert.Equal(404, result.Page!.Status);
        Assert.Equal(ObservatoryOutcome.CspNoUnsafeDefaultSrcNone, result.Outcome(Csp));
        Assert.Equal("A+", result.Grade!.Letter);
        Assert.Equal(0, origin.Requests);
    }

    private static Task<HttpAuditResult> AuditAsync(TestGateway gateway) =>
        HttpAuditor.RunAsync(new AuditTarget("app.test", gateway.HttpsPort, Address: IPAddress.Loopback,
            CaFile: Path.Combine(gateway.Directory, "data", "certs", "self-signed", "app.crt"), HttpPort: gateway.HttpPort), null, CancellationToken.None);
}
