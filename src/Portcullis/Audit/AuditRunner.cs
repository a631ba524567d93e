using System.Diagnostics;
using Portcullis.Audit.Certificates;
using Portcullis.Audit.Http;
using Portcullis.Audit.Report;
using Portcullis.Audit.Tls;

namespace Portcullis.Audit;

/// <summary>
/// Runs both halves of an audit against one target, side by side, and puts the results together: the TLS half
/// (handshake probes and certificate, behind <see cref="TlsAudit"/>) and the HTTP half (<see cref="HttpAuditor"/>),
/// then the SSL Labs grade, which needs the HSTS max-age the HTTP half saw.
/// </summary>
/// <param name="tls">The TLS half; null for an HTTP-only audit (the report then says TLS was not checked).</param>
/// <param name="tlsGrader">The SSL Labs grader; null with <paramref name="tls"/>.</param>
internal sealed class AuditRunner(
    Func<AuditTarget, IProgress<string>?, CancellationToken, Task<TlsAuditResult>>? tls,
    Func<TlsProbeResult, CertificateReport?, long?, Grade>? tlsGrader,
    TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>The runner <c>portcullis audit</c> uses: the hand-built handshake probes and the SSL Labs grader.</summary>
    public static AuditRunner Default { get; } = new(TlsAuditor.RunAsync, Grading.SslLabsGrader.Grade);

    public bool ChecksTls => tls is not null;

    public async Task<AuditReport> RunAsync(AuditTarget target, IProgress<string>? progress, CancellationToken ct)
    {
        var started = _time.GetUtcNow();
        var total = Stopwatch.StartNew();
        var tlsTask = tls is null ? Task.FromResult<(TlsAuditResult?, TimeSpan?)>((null, null)) : TimeTlsAsync(tls, target, progress, ct);
        var httpTask = TimeHttpAsync(target, progress, ct);
        // An AuditUnreachableException from either half ends the audit: there is nothing to report.
        await Task.WhenAll(tlsTask, httpTask);
        var (tlsResult, tlsTime) = await tlsTask;
        var (http, httpTime) = await httpTask;
        var hstsMaxAge = http.Hsts is { Valid: true } hsts ? hsts.MaxAge : null;
        var tlsGrade = tlsResult is not null && tlsGrader is not null ? tlsGrader(tlsResult.Probe, tlsResult.Certificate, hstsMaxAge) : null;
        return new AuditReport(target, started, new AuditTimings(total.Elapsed, tlsTime, httpTime), tlsResult, tlsGrade, http, http.Grade);
    }

    private static async Task<(TlsAuditResult?, TimeSpan?)> TimeTlsAsync(
        Func<AuditTarget, IProgress<string>?, CancellationToken, Task<TlsAuditResult>> run, AuditTarget target, IProgress<string>? progress, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        var result = await run(target, progress, ct);
        return (result, watch.Elapsed);
    }

    private async Task<(HttpAuditResult, TimeSpan)> TimeHttpAsync(AuditTarget target, IProgress<string>? progress, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        var result = await HttpAuditor.RunAsync(target, progress, ct, _time);
        return (result, watch.Elapsed);
    }
}
