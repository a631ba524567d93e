using Portcullis.Audit.Grading;

namespace Portcullis.Audit.Http;

/// <summary>
/// What the HTTP half found.
/// </summary>
/// <param name="Page">The HTTPS GET / exchange; null when it failed (<paramref name="PageError"/> says why).</param>
/// <param name="Redirects">The plain-HTTP redirect chain; empty when nothing listened on the HTTP port or it was not checked.</param>
/// <param name="HttpNote">Why the chain is empty or stopped (closed port, other host, hop limit), or null.</param>
/// <param name="Outcomes">One Observatory result per test; empty when there was no page to judge.</param>
/// <param name="Grade">The Observatory grade; null without a page.</param>
internal sealed record HttpAuditResult(
    HttpExchange? Page,
    string? PageError,
    IReadOnlyList<RedirectHop> Redirects,
    string? HttpNote,
    HstsPolicy? Hsts,
    CspPolicy? Csp,
    IReadOnlyList<SetCookie> Cookies,
    IReadOnlyList<Banner> Banners,
    IReadOnlyList<ObservatoryOutcome> Outcomes,
    IReadOnlyList<AuditFinding> Findings,
    Grade? Grade);
