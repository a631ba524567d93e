namespace Portcullis.Incidents;

/// <summary>
/// One request the firewall blocked or (in detect mode) flagged, as kept in <c>data_dir/incidents.db</c> and shown by
/// <c>portcullis waf explain ID</c>. Built by <see cref="IncidentFactory"/>, which has already redacted secrets and
/// bounded every value, so nothing here needs care when stored, printed or logged. Strings hold bytes (one char per
/// byte, as the engine sees them).
/// </summary>
internal sealed record Incident
{
    /// <summary>The request id: the one on the 403 page, in <c>X-Request-Id</c> and in the logs.</summary>
    public required string Id { get; init; }

    public required DateTimeOffset Timestamp { get; init; }

    public required string Site { get; init; }

    public required string ClientIp { get; init; }

    public required string Method { get; init; }

    public required string Path { get; init; }

    /// <summary>Without the leading '?'; secret-looking arguments redacted.</summary>
    public required string Query { get; init; }

    public required string Protocol { get; init; }

    /// <summary>Request headers in arrival order, credentials redacted.</summary>
    public required IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; }

    /// <summary>"block" or "detect".</summary>
    public required string Mode { get; init; }

    /// <summary>"blocked", "dropped" or "detected".</summary>
    public required string Action { get; init; }

    /// <summary>The response status the client got (0 when the connection was dropped before one).</summary>
    public required int Status { get; init; }

    /// <summary>The rule whose disruptive action ended the request (949110 for CRS's inbound threshold), if any.</summary>
    public int? DecidingRuleId { get; init; }

    /// <summary>True when the request was, or in block mode would have been, refused.</summary>
    public required bool WouldBlock { get; init; }

    /// <summary>Anomaly totals such as "inbound" and "outbound", as the caller computed them.</summary>
    public required IReadOnlyDictionary<string, int> Scores { get; init; }

    public required IReadOnlyList<IncidentMatch> Matches { get; init; }

    /// <summary>The request line as the client sent it (query redacted).</summary>
    public string RequestLine => Query.Length == 0 ? $"{Method} {Path} {Protocol}" : $"{Method} {Path}?{Query} {Protocol}";
}
