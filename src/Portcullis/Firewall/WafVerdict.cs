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
}
