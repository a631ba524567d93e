using Portcullis.Firewall;
using Portcullis.Observability;

namespace Portcullis.Incidents;

/// <summary>
/// Turns a request's event (with its firewall verdict) into an <see cref="Incident"/>, redacted and bounded before
/// anything stores or prints it.
/// </summary>
internal static class IncidentFactory
{
    /// <summary>More headers than this are an attack on the store, not information (Kestrel allows 100 by default).</summary>
    public const int MaxHeaders = 100;

    /// <summary>A paranoia-4 request can match hundreds of rules; the first ones explain it.</summary>
    public const int MaxMatches = 200;

    /// <summary>CRS's threshold rules: they deny when the anomaly score is reached, so in detect mode they mark a would-be block.</summary>
    private static readonly HashSet<int> ThresholdRules = [949110, 959100];

    /// <summary>Blocked, or in detect mode would have been: worth an incident.</summary>
    public static bool WouldBlock(WafVerdict waf) => waf.Blocked || waf.Matches.Any(m => m.Disruptive || ThresholdRules.Contains(m.Id));

    public static Incident Create(RequestEvent e, string site, IEnumerable<KeyValuePair<string, string>> requestHeaders, IReadOnlyDictionary<string, int> scores)
    {
        var waf = e.Waf ?? throw new ArgumentException("the event has no firewall verdict", nameof(e));
        var redactor = new IncidentRedactor();
        var matched = waf.Matches.Take(MaxMatches).ToList();
        redactor.RememberSecretMatches(matched);
        var headers = redactor.Headers(requestHeaders, MaxHeaders);
        var query = redactor.Query(Latin1.FromUtf8Decoded(e.Query));
        return new Incident
        {
            Id = e.RequestId,
            Timestamp = e.Timestamp,
            Site = site,
            ClientIp = e.ClientIp?.ToString() ?? "",
            Method = IncidentRedactor.Bound(e.Method),
            // Kestrel hands the path over percent-decoded and UTF-8 decoded; the engine and the store keep bytes.
            Path = IncidentRedactor.Bound(redactor.Scrub(Latin1.FromUtf8Decoded(e.Path))),
            Query = query,
            Protocol = e.Protocol,
            Headers = headers,
            Mode = waf.Mode,
            Action = waf.Action,
            Status = e.StatusCode != 0 ? e.StatusCode : waf.Status ?? 0,
            DecidingRuleId = waf.RuleId,
            // The engine flags a match Disruptive only when it enforced it; in detect mode the threshold rules'
            // match is what says the request would have been refused.
            WouldBlock = WouldBlock(waf),
            Scores = new Dictionary<string, int>(scores, StringComparer.Ordinal),
            Matches = [.. matched.Select(redactor.Match)],
        };
    }
}
