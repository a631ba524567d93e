using System.Net;

namespace Portcullis.Observability;

/// <summary>
/// The one record every request produces (ARCHITECTURE §3). The access log, metrics, detectors and the event
/// store all consume this stream; nothing re-parses log files. Filled in as the request moves through the
/// pipeline and published once, after the response has completed.
/// </summary>
internal sealed class RequestEvent
{
    /// <summary>When the request arrived (UTC).</summary>
    public DateTimeOffset Timestamp { get; set; }

    /// <summary>32 lowercase hex characters; sent upstream and back to the client as <c>X-Request-Id</c>.</summary>
    public string RequestId { get; set; } = "";

    /// <summary>The real client address: the peer, or the first untrusted hop of <c>X-Forwarded-For</c> when the peer is a trusted proxy.</summary>
    public IPAddress? ClientIp { get; set; }

    /// <summary>The TCP peer address (a proxy's address when the client comes through one).</summary>
    public IPAddress? PeerIp { get; set; }

    public int ClientPort { get; set; }

    public string Method { get; set; } = "";

    /// <summary>Host header without the port.</summary>
    public string Host { get; set; } = "";

    public string Path { get; set; } = "";

    /// <summary>Query string without the leading '?', empty when absent.</summary>
    public string Query { get; set; } = "";

    /// <summary>"HTTP/1.1", "HTTP/2".</summary>
    public string Protocol { get; set; } = "";

    /// <summary>"https" or "http".</summary>
    public string Scheme { get; set; } = "";

    public string? UserAgent { get; set; }

    public string? Referrer { get; set; }

    /// <summary>TLS protocol and SNI, when the request came over TLS.</summary>
    public string? TlsProtocol { get; set; }

    public string? TlsServerName { get; set; }

    /// <summary>Configured site name; null when no site matched.</summary>
    public string? Site { get; set; }

    /// <summary>Route path prefix that matched, null when none.</summary>
    public string? Route { get; set; }

    /// <summary>Upstream base URL the request went to, null when it was answered by the gateway.</summary>
    public string? Upstream { get; set; }

    public int StatusCode { get; set; }

    /// <summary>The firewall's verdict and matched rules; null when it was off or nothing matched.</summary>
    public Firewall.WafVerdict? Waf { get; set; }

    /// <summary>What the challenge did: "issued" (page served), "required" (non-browser refused), "solved", "failed", "passed" (valid pass); null when it was not involved.</summary>
    public string? Challenge { get; set; }

    /// <summary>Why a challenge was issued or failed: "no_pass", "pass_expired", "pass_invalid", "replayed", ... (with "; flagged: reason" in suspicious mode).</summary>
    public string? ChallengeReason { get; set; }

    /// <summary>Request body bytes read from the client.</summary>
    public long BytesIn { get; set; }

    /// <summary>Response body bytes written to the client.</summary>
    public long BytesOut { get; set; }

    /// <summary>True when the forwarder counted <see cref="BytesIn"/> and <see cref="BytesOut"/> as they moved; otherwise they are the declared Content-Length values.</summary>
    public bool BytesCounted { get; set; }

    /// <summary>Total time from arrival to the end of the response.</summary>
    public TimeSpan Duration { get; set; }

    /// <summary>Time until the upstream's response headers arrived, when forwarded.</summary>
    public TimeSpan? UpstreamDuration { get; set; }

    /// <summary>What the gateway decided for this request: "forwarded", "redirect", "no_site", "upstream_error", ...</summary>
    public string Outcome { get; set; } = "";

    /// <summary>The limit that refused the request ("rate:site:shop", "upstream_in_flight", "request_headers"; see Limits/LimitNames), null when none did.</summary>
    public string? Limit { get; set; }

    /// <summary>Error detail for gateway-side failures (never sent to the client).</summary>
    public string? Error { get; set; }
}
