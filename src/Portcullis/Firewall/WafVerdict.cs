using Portcullis.Waf.Transactions;

namespace Portcullis.Firewall;

/// <summary>What the firewall concluded for one request, carried on its <see cref="Observability.RequestEvent"/>.</summary>
internal sealed record WafVerdict(
    string Mode,
    string Action,
    int? RuleId,
    int? Status,
    IReadOnlyList<MatchedRule> Matches,
    int RegexTimeouts)
{
    /// <summary>The request was refused (403 or the rule's status) or its connection dropped.</summary>
    public bool Blocked => Action is "blocked" or "dropped";

    /// <summary>The request's headers as received, for its incident (kept only when the request becomes one).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> RequestHeaders { get; init; } = [];

    /// <summary>The anomaly scores CRS computed (inbound/outbound, blocking and detection, per attack class), non-zero ones only.</summary>
    public IReadOnlyDictionary<string, int> Scores { get; init; } = new Dictionary<string, int>();
}
