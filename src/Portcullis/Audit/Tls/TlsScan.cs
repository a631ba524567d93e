namespace Portcullis.Audit.Tls;

/// <summary>
/// Everything the handshake probes saw: the graded result, the certificate chain as served (DER, leaf first), and
/// the answers that were not TLS or broke the protocol (they become Connection findings).
/// </summary>
/// <param name="SpeaksTls">At least one version got a ServerHello.</param>
/// <param name="Anomalies">Garbage, timeouts and protocol violations, each with the probe that saw it.</param>
/// <param name="Connections">How many probe connections the scan made.</param>
internal sealed record TlsScan(
    TlsProbeResult Probe,
    IReadOnlyList<byte[]> Chain,
    bool SpeaksTls,
    IReadOnlyList<string> Anomalies,
    int Connections);
