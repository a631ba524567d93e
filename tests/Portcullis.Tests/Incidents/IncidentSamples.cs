using System.Net;
using Portcullis.Firewall;
using Portcullis.Incidents;
using Portcullis.Observability;
using Portcullis.Waf.Transactions;

namespace Portcullis.Tests.Incidents;

/// <summary>Events, matches and incidents shaped like the firewall produces them, for the incident tests.</summary>
internal static class IncidentSamples
{
    public static readonly DateTimeOffset Noon = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);

    public static MatchedRule Match(int id, string variable, string value, string? data = null, bool disruptive = false, string file = "/crs/rules/REQUEST-942-APPLICATION-ATTACK-SQLI.conf", params string[] tags) =>
        new(id, Phase.RequestBody, $"rule {id} message", data ?? $"Matched Data: {value} found within {variable}: {value}", "CRITICAL",
            tags.Length == 0 ? ["application-multi", "attack-sqli"] : tags, "OWASP_CRS/4.28.0", variable, value, file, 46, disruptive);

    /// <summary>CRS's inbound threshold rule, as it matches in block mode.</summary>
    public static MatchedRule Threshold(bool disruptive = true) =>
        new(949110, Phase.RequestBody, "Inbound Anomaly Score Exceeded (Total Score: 10)", null, null,
            ["anomaly-evaluation", "OWASP_CRS"], "OWASP_CRS/4.28.0", "TX:BLOCKING_INBOUND_ANOMALY_SCORE", "10",
            "/crs/rules/REQUEST-949-BLOCKING-EVALUATION.conf", 222, disruptive);

    public static RequestEvent Event(string id, string method, string path, string query, IReadOnlyList<MatchedRule> matches,
        string mode = "block", string action = "blocked", DateTimeOffset? at = null) => new()
    {
        RequestId = id,
        Timestamp = at ?? Noon,
        ClientIp = IPAddress.Parse("203.0.113.7"),
        Method = method,
        Path = path,
        Query = query,
        Protocol = "HTTP/1.1",
        Host = "shop.test",
        StatusCode = action == "blocked" ? 403 : 200,
        Waf = new WafVerdict(mode, action, action == "blocked" ? 949110 : null, action == "blocked" ? 403 : null, matches, 0),
    };

    public static Incident Incident(string id, string method, string path, params MatchedRule[] matches) =>
        IncidentFactory.Create(Event(id, method, path, "", matches), "shop", [new("Host", "shop.test")], Scores(10));

    public static Incident At(Incident incident, DateTimeOffset at) => incident with { Timestamp = at };

    public static IReadOnlyDictionary<string, int> Scores(int inbound) => new Dictionary<string, int> { ["inbound"] = inbound, ["outbound"] = 0 };

    public static string NewId() => Guid.NewGuid().ToString("N");
}
