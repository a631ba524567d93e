using Portcullis.Audit.Certificates;

namespace Portcullis.Audit.Tls;

/// <summary>The TLS half of an audit: the probe results, the certificate report (null when no chain could be read), and the findings of both plus the connection.</summary>
internal sealed record TlsAuditResult(TlsProbeResult Probe, CertificateReport? Certificate, IReadOnlyList<AuditFinding> Findings)
{
    /// <summary>Wall time of the TLS audit.</summary>
    public TimeSpan Elapsed { get; init; }

    /// <summary>How many probe connections were made.</summary>
    public int Connections { get; init; }
}
