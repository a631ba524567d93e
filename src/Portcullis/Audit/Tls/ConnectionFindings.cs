namespace Portcullis.Audit.Tls;

/// <summary>Findings about the conversation itself: a port that speaks no TLS, closes, stays silent, or breaks the protocol.</summary>
internal static class ConnectionFindings
{
    public static IEnumerable<AuditFinding> From(AuditTarget target, TlsScan scan)
    {
        var endpoint = $"{target.Host}:{target.Port}";
        if (!scan.SpeaksTls)
        {
            var notes = scan.Probe.Protocols.Select(p => p.Note).Where(n => n is not null).Distinct().ToList();
            var all = string.Join("; ", notes);
            var (id, title) = scan.Probe.Protocols.All(p => p.Note?.StartsWith("Timeout", StringComparison.Ordinal) == true)
                ? ("conn.no_answer", $"{endpoint} accepts connections but never answers a ClientHello")
                : scan.Probe.Protocols.Any(p => p.Note?.StartsWith("Garbage", StringComparison.Ordinal) == true)
                    ? ("conn.not_tls", $"{endpoint} does not speak TLS")
                    : ("conn.no_handshake", $"{endpoint} refuses every TLS version");
            yield return new AuditFinding(id, AuditArea.Connection, FindingSeverity.High, title,
                $"No TLS handshake was possible, so nothing on this port is protected by TLS. Answers: {all}.",
                "If this port should serve HTTPS, put a TLS terminator in front of it; if it serves plain HTTP, make it redirect to HTTPS on 443.",
                "listen:\n  https: \":443\"   # Portcullis terminates TLS here and proxies to the plain service\nsites:\n  - name: app\n    routes:\n      - path: /\n        upstreams: [\"http://127.0.0.1:8080\"]",
                "listen 443 ssl;\nssl_certificate     /etc/nginx/fullchain.pem;\nssl_certificate_key /etc/nginx/privkey.pem;");
            yield break;
        }
        if (scan.Anomalies.Count > 0)
        {
            yield return new AuditFinding("conn.protocol_anomalies", AuditArea.Connection, FindingSeverity.Low,
                "Some probes got no usable answer or a malformed one",
                "Timeouts, resets or broken messages to some hellos hint at a middlebox, an intolerant TLS stack, or a server under load; results for those probes are unknown. " + string.Join("; ", scan.Anomalies));
        }
    }
}
