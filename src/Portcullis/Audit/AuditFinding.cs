namespace Portcullis.Audit;

/// <summary>
/// One thing an audit found, in the form a person can act on: what it is, why it matters and how to fix it, both as a
/// Portcullis config snippet and as an nginx snippet (most audited servers are not Portcullis yet).
/// </summary>
/// <param name="Id">Stable dotted id for scripts and the JSON report, e.g. <c>tls.protocol.tls10</c>, <c>http.hsts.missing</c>.</param>
/// <param name="Area">Which part of the report it belongs to.</param>
/// <param name="Severity">How urgent the fix is.</param>
/// <param name="Title">One line, e.g. "TLS 1.0 is accepted".</param>
/// <param name="Why">Why it matters, one or two sentences naming the attack or the failure it leads to.</param>
/// <param name="Fix">What to do, in words; null for purely informational findings.</param>
/// <param name="PortcullisFix">The fix as a Portcullis YAML snippet, when config can fix it.</param>
/// <param name="NginxFix">The fix as an nginx snippet, when config can fix it.</param>
internal sealed record AuditFinding(
    string Id,
    AuditArea Area,
    FindingSeverity Severity,
    string Title,
    string Why,
    string? Fix = null,
    string? PortcullisFix = null,
    string? NginxFix = null);

/// <summary>The report section a finding belongs to.</summary>
internal enum AuditArea
{
    Connection,
    Tls,
    Certificate,
    Http,
}

/// <summary>How urgent a finding is; ordered so that a higher value is worse.</summary>
internal enum FindingSeverity
{
    Info,
    Low,
    Medium,
    High,
    Critical,
}
