using Portcullis.Audit.Http;
using Portcullis.Audit.Tls;

namespace Portcullis.Audit.Report;

/// <summary>
/// One target's whole audit: what each half found, both grades and how long it took. The console report and the
/// JSON report are two renderings of this.
/// </summary>
/// <param name="Tls">The TLS half's result; null when the TLS checks are not part of this build yet.</param>
/// <param name="TlsGrade">The SSL Labs style grade; null without TLS results.</param>
/// <param name="HttpGrade">The HTTP Observatory style grade; null when no HTTPS page could be fetched.</param>
internal sealed record AuditReport(
    AuditTarget Target,
    DateTimeOffset StartedAt,
    AuditTimings Timings,
    TlsAuditResult? Tls,
    Grade? TlsGrade,
    HttpAuditResult Http,
    Grade? HttpGrade)
{
    /// <summary>Every finding, worst first.</summary>
    public IReadOnlyList<AuditFinding> Findings =>
        [.. (Tls?.Findings ?? []).Concat(Http.Findings).OrderByDescending(f => f.Severity)];

    /// <summary>
    /// Whether both grades are at least <paramref name="minimum"/>. A grade that could not be computed because its
    /// half failed (no HTTPS page) fails; a half that is not part of this build does not count.
    /// </summary>
    public bool Meets(string minimum)
    {
        var tlsOk = Tls is null || (TlsGrade?.AtLeast(minimum) ?? true);
        var httpOk = HttpGrade?.AtLeast(minimum) ?? false;
        return tlsOk && httpOk;
    }
}

/// <summary>Wall-clock time of the whole audit and of each half (they run side by side).</summary>
internal sealed record AuditTimings(TimeSpan Total, TimeSpan? Tls, TimeSpan Http);
