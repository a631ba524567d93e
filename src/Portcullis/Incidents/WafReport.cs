using System.Globalization;

namespace Portcullis.Incidents;

/// <summary>
/// What <c>portcullis waf report</c> sums up over a window: how many requests were blocked, how many detect mode let
/// through that block mode would have refused, which rules, paths and targets come up most, and exclusions for
/// the most frequent (rule, target, path) groups, the usual shape of a false positive worth tuning.
/// </summary>
internal sealed record WafReport
{
    public const int TopCount = 10;

    public const int SuggestionCount = 5;

    public required DateTimeOffset Since { get; init; }

    public required DateTimeOffset Until { get; init; }

    public required int Total { get; init; }

    /// <summary>Refused in block mode (403 or the rule's status, or the connection dropped).</summary>
    public required int Blocked { get; init; }

    /// <summary>Let through by detect mode, but block mode would have refused them.</summary>
    public required int WouldBlock { get; init; }

    /// <summary>Matched rules without reaching a block (detect mode, below the threshold).</summary>
    public required int DetectedOnly { get; init; }

    /// <summary>Rules by the number of incidents they matched in; CRS's anomaly-evaluation rules are left out (they are in every block).</summary>
    public required IReadOnlyList<ReportCount> TopRules { get; init; }

    public required IReadOnlyList<ReportCount> TopPaths { get; init; }

    /// <summary>"rule variable" pairs, e.g. "942100 ARGS:comment".</summary>
    public required IReadOnlyList<ReportCount> TopTargets { get; init; }

    public required IReadOnlyList<ReportSuggestion> Suggestions { get; init; }

    /// <summary>True when the window held more incidents than were read (the newest ones were).</summary>
    public bool Truncated { get; init; }

    public static WafReport Build(IReadOnlyList<Incident> incidents, DateTimeOffset since, DateTimeOffset until, bool truncated = false)
    {
        // Each incident counts once per rule, path or target however many times it matched there.
        var contributions = incidents
            .SelectMany(i => i.Matches.Where(m => !ExclusionSuggester.IsAnomalyEvaluation(m)).Select(m => (Incident: i, Match: m)))
            .ToList();
        return new WafReport
        {
            Since = since,
            Until = until,
            Total = incidents.Count,
            Blocked = incidents.Count(i => i.Action is "blocked" or "dropped"),
            WouldBlock = incidents.Count(i => i.Mode == "detect" && i.WouldBlock),
            DetectedOnly = incidents.Count(i => i.Action == "detected" && !i.WouldBlock),
            TopRules = Top(contributions.GroupBy(c => c.Match.Id).Select(g =>
                (g.Key.ToString(CultureInfo.InvariantCulture), g.First().Match.Message, g.Select(c => c.Incident.Id)))),
            TopPaths = Top(incidents.GroupBy(i => i.Path, StringComparer.Ordinal).Select(g => (g.Key, (string?)null, g.Select(i => i.Id)))),
            TopTargets = Top(contributions.GroupBy(c => (c.Match.Id, c.Match.Variable)).Select(g =>
                (string.Create(CultureInfo.InvariantCulture, $"{g.Key.Id} {g.Key.Variable}"), g.First().Match.Message, g.Select(c => c.Incident.Id)))),
            Suggestions = Suggest(contributions),
            Truncated = truncated,
        };
    }

    /// <summary>The groups with the most distinct incidents, ties by key so the order is stable.</summary>
    private static List<ReportCount> Top(IEnumerable<(string Key, string? Detail, IEnumerable<string> Ids)> groups) =>
        [.. groups
            .Select(g => new ReportCount(g.Key, g.Detail, g.Ids.Distinct(StringComparer.Ordinal).Count()))
            .OrderByDescending(c => c.Count)
            .ThenBy(c => c.Key, StringComparer.Ordinal)
            .Take(TopCount)];

    /// <summary>
    /// The most frequent (site, rule, target, path) groups, narrowed like <see cref="ExclusionSuggester"/> does for
    /// one incident; groups of the same target and path (942100 and 942200 on one field) then share an entry.
    /// </summary>
    private static List<ReportSuggestion> Suggest(List<(Incident Incident, IncidentMatch Match)> contributions) =>
        [.. contributions
            .GroupBy(c => (c.Incident.Site, c.Match.Id, Target: ExclusionTarget.Narrow(c.Match.Variable), c.Incident.Path))
            .Select(g => (Group: g, Count: g.Select(c => c.Incident.Id).Distinct(StringComparer.Ordinal).Count()))
            .OrderByDescending(g => g.Count)
            .ThenBy(g => g.Group.Key.Id)
            .Take(SuggestionCount)
            .GroupBy(g => (g.Group.Key.Site, g.Group.Key.Target, g.Group.Key.Path))
            .Select(merged =>
            {
                var (site, target, path) = merged.Key;
                var all = merged.SelectMany(g => g.Group).ToList();
                var count = all.Select(c => c.Incident.Id).Distinct(StringComparer.Ordinal).Count();
                var rules = merged.Select(g => g.Group.Key.Id).Order().ToList();
                var methods = all.Select(c => c.Incident.Method).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
                var reason = string.Create(CultureInfo.InvariantCulture, $"{count} incident(s): ") +
                    ExclusionSuggester.Reason(merged.Select(g => g.Group.First().Match), wider: target is null);
                return new ReportSuggestion(site, count, new SuggestedExclusion(rules, target is null ? [] : [target], path, methods, reason));
            })];
}
