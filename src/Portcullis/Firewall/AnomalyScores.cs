using System.Globalization;
using Portcullis.Waf.Transactions;

namespace Portcullis.Firewall;

/// <summary>The anomaly scores CRS keeps in TX, read after a request for its incident.</summary>
internal static class AnomalyScores
{
    /// <summary>CRS 4's totals and per-class scores (REQUEST-901-INITIALIZATION sets them all to 0).</summary>
    private static readonly string[] Names =
    [
        "blocking_inbound_anomaly_score", "detection_inbound_anomaly_score",
        "blocking_outbound_anomaly_score", "detection_outbound_anomaly_score",
        "inbound_anomaly_score_threshold", "outbound_anomaly_score_threshold",
        "sql_injection_score", "xss_score", "rfi_score", "lfi_score", "rce_score", "php_injection_score",
        "http_violation_score", "session_fixation_score",
    ];

    public static IReadOnlyDictionary<string, int> Read(Transaction tx)
    {
        var scores = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var name in Names)
        {
            if (tx.GetTxVariable(name) is { } text && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value != 0)
            {
                scores[name] = value;
            }
        }
        return scores;
    }
}
