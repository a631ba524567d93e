using Portcullis.Audit.Certificates;
using Portcullis.Audit.Tls;

namespace Portcullis.Audit;

/// <summary>
/// What the TLS half of the audit returns: the handshake probes, the certificate analysis (null when no certificate
/// could be read) and its findings. Shape agreed with the TLS prober (Audit/Tls/TlsAuditor.RunAsync).
/// </summary>
internal sealed record TlsAuditResult(TlsProbeResult Probe, CertificateReport? Certificate, IReadOnlyList<AuditFinding> Findings);
