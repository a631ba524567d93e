using System.Net;
using System.Net.Sockets;
using Portcullis.Audit.Grading;

namespace Portcullis.Audit.Http;

/// <summary>
/// The HTTP half of <c>portcullis audit</c>: GET / over HTTPS (to <c>--ip</c> when given, SNI from the target, any
/// certificate accepted), GET / over plain HTTP on <c>--http-port</c> following same-host redirects, then the HTTP
/// Observatory's tests and the banner check over what came back.
/// </summary>
internal static class HttpAuditor
{
    /// <summary>The Observatory follows redirects too; a bound keeps a redirect loop from running the audit forever.</summary>
    public const int MaxRedirects = 5;

    public static async Task<HttpAuditResult> RunAsync(AuditTarget target, IProgress<string>? progress, CancellationToken ct, TimeProvider? time = null)
    {
        var address = target.Address ?? await ResolveAsync(target, ct);
        var host = IPAddress.TryParse(target.Host.Trim('[', ']'), out var literal) && literal.AddressFamily == AddressFamily.InterNetworkV6
            ? $"[{literal}]"
            : target.Host;
        progress?.Report($"HTTP: GET https://{host}:{target.Port}/");
        var pageTask = HttpFetcher.GetAsync(new Uri($"https://{host}:{target.Port}/"), address, target.ServerName, target.CaFile, target.ProbeTimeout, ct);
        var redirectTask = FollowHttpAsync(target, host, address, progress, ct);
        var page = await pageTask;
        if (page.FailedAt is FetchStage.Connect)
        {
            throw new AuditUnreachableException($"cannot connect to {Endpoint(address, target.Port)}: {page.Error}");
        }
        var (route, finalValid, note) = await redirectTask;
        if (page.Exchange is not { } exchange)
        {
            var finding = new AuditFinding("http.unavailable", AuditArea.Http, FindingSeverity.High,
                $"No HTTP answer over HTTPS ({page.FailedAt}: {page.Error})",
                "Without a response the security headers cannot be checked; browsers will fail the same way.",
                "Make sure the port serves HTTPS for this name.");
            return new HttpAuditResult(null, $"{page.FailedAt}: {page.Error}", route, note, null, null, [], [], [], [finding], null);
        }
        return Analyse(exchange, route, finalValid, note, DateOnly.FromDateTime((time ?? TimeProvider.System).GetUtcNow().UtcDateTime));
    }

    /// <summary>Runs every Observatory test and the banner check over an HTTPS page and the HTTP redirect chain.</summary>
    public static HttpAuditResult Analyse(HttpExchange page, IReadOnlyList<RedirectHop> route, bool? finalCertificateValid, string? note, DateOnly today)
    {
        var hsts = HstsPolicy.Parse(page.Headers.All("Strict-Transport-Security"));
        var hstsOutcome = page.CertificateVerified == false ? ObservatoryOutcome.HstsInvalidCertificate
            : hsts is null ? ObservatoryOutcome.HstsMissing
            : !hsts.Valid ? ObservatoryOutcome.HstsInvalid
            : hsts.MaxAge < HstsPolicy.SixMonths ? ObservatoryOutcome.HstsLessThanSixMonths
            : ObservatoryOutcome.HstsAtLeastSixMonths;
        var (cspOutcome, csp, cspProblem) = CspCheck.Run(page.Headers);
        var (cookieOutcome, cookies) = CookieCheck.Run(page.Headers, hstsOutcome == ObservatoryOutcome.HstsAtLeastSixMonths);
        ObservatoryOutcome[] outcomes =
        [
            cspOutcome,
            cookieOutcome,
            HeaderChecks.Cors(page.Headers),
            RedirectCheck.Evaluate(route, finalCertificateValid),
            HeaderChecks.ReferrerPolicy(page.Headers),
            hstsOutcome,
            SubresourceIntegrityCheck.Run(page),
            HeaderChecks.ContentTypeOptions(page.Headers),
            HeaderChecks.FrameOptions(page.Headers, csp),
            HeaderChecks.ResourcePolicy(page.Headers),
            HeaderChecks.OpenerPolicy(page.Headers),
            HeaderChecks.EmbedderPolicy(page.Headers),
        ];
        var banners = Banner.Read(page.Headers, today);
        var findings = HttpFindings.Build(outcomes, hsts, cspProblem, banners);
        return new HttpAuditResult(page, null, route, note, hsts, csp, cookies, banners, outcomes, findings, ObservatoryGrader.Grade(outcomes));
    }

    /// <summary>
    /// GET / on the plain-HTTP port and the redirects after it. Only hops on the audited host are fetched (we know
    /// where that host is: --ip); a hop to another host ends the chain there, counted as visited but not fetched.
    /// </summary>
    private static async Task<(IReadOnlyList<RedirectHop> Route, bool? FinalCertificateValid, string? Note)> FollowHttpAsync(
        AuditTarget target, string host, IPAddress address, IProgress<string>? progress, CancellationToken ct)
    {
        if (target.HttpPort <= 0)
        {
            return ([], null, "plain HTTP not checked");
        }
        var route = new List<RedirectHop>();
        var url = new Uri($"http://{host}:{target.HttpPort}/");
        bool? finalValid = null;
        for (var hop = 0; hop <= MaxRedirects; hop++)
        {
            if (!string.Equals(url.Host, new Uri($"http://{host}/").Host, StringComparison.OrdinalIgnoreCase))
            {
                route.Add(new RedirectHop(url, null));
                return (route, finalValid, $"stopped at {url.Host}: other hosts are not followed");
            }
            progress?.Report($"HTTP: GET {url}");
            var sni = url.Scheme == Uri.UriSchemeHttps ? target.ServerName : null;
            var result = await HttpFetcher.GetAsync(url, address, sni, target.CaFile, target.ProbeTimeout, ct);
            if (result.Exchange is not { } exchange)
            {
                if (route.Count == 0)
                {
                    // The Observatory's "not able to connect via HTTP": a closed port is not a penalty.
                    return ([], null, $"no HTTP listener on port {target.HttpPort} ({result.Error})");
                }
                route.Add(new RedirectHop(url, null));
                return (route, finalValid, $"{url} failed: {result.Error}");
            }
            route.Add(new RedirectHop(url, exchange.Status));
            finalValid = exchange.CertificateVerified;
            if (exchange.Location is not { } next)
            {
                return (route, finalValid, null);
            }
            url = next;
        }
        return (route, finalValid, $"more than {MaxRedirects} redirects");
    }

    private static async Task<IPAddress> ResolveAsync(AuditTarget target, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(target.ProbeTimeout);
        try
        {
            var addresses = await Dns.GetHostAddressesAsync(target.Host.Trim('[', ']'), deadline.Token);
            return addresses.FirstOrDefault() ?? throw new AuditUnreachableException($"{target.Host} has no address");
        }
        catch (SocketException e)
        {
            throw new AuditUnreachableException($"cannot resolve {target.Host}: {e.Message}");
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new AuditUnreachableException($"cannot resolve {target.Host}: no answer within {target.ProbeTimeout.TotalSeconds:0} s");
        }
    }

    private static string Endpoint(IPAddress address, int port) => new IPEndPoint(address, port).ToString();
}
