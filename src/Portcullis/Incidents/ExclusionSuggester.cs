using System.Text;

namespace Portcullis.Incidents;

/// <summary>
/// Suggests the <c>waf.exclusions</c> entries that would let this one request through while every rule keeps
/// guarding everything else: each rule that contributed is told to skip only the target it matched, only under the
/// request's path and for its method. Rules that share a target go in one entry, targets skipped by the same rules
/// too. CRS's anomaly-evaluation rules (949110, 959100, 980170) are left alone: they only add up what the others
/// found. A rule that matched something with no narrower target (REQUEST_URI, REQUEST_FILENAME, REQUEST_LINE...) is
/// removed for the path instead, which is wider: the reason says so.
/// </summary>
internal static class ExclusionSuggester
{
    /// <summary>The longest matched value quoted in a reason: enough to recognise it, short enough for one line.</summary>
    private const int MaxReasonValue = 60;

    private static readonly HashSet<int> AnomalyEvaluationRules = [949110, 959100, 980170];

    public static bool IsAnomalyEvaluation(IncidentMatch match) =>
        AnomalyEvaluationRules.Contains(match.Id) || match.Tags.Contains("anomaly-evaluation", StringComparer.OrdinalIgnoreCase);

    public static IReadOnlyList<SuggestedExclusion> Suggest(Incident incident)
    {
        var contributing = incident.Matches.Where(m => !IsAnomalyEvaluation(m)).ToList();
        var wholeRule = contributing.Where(m => ExclusionTarget.Narrow(m.Variable) is null).Select(m => m.Id).ToHashSet();
        // target → the rules that matched it, in the order the rules matched (first match first).
        var byTarget = new Dictionary<string, List<IncidentMatch>>(StringComparer.Ordinal);
        var targetOrder = new List<string>();
        foreach (var match in contributing)
        {
            if (ExclusionTarget.Narrow(match.Variable) is not { } target || wholeRule.Contains(match.Id))
            {
                continue;
            }
            if (!byTarget.TryGetValue(target, out var matches))
            {
                byTarget[target] = matches = [];
                targetOrder.Add(target);
            }
            if (!matches.Any(m => m.Id == match.Id))
            {
                matches.Add(match);
            }
        }
        var methods = new[] { incident.Method };
        var entries = new List<SuggestedExclusion>();
        // Targets skipped by exactly the same rules share an entry.
        foreach (var group in targetOrder.GroupBy(t => string.Join(',', byTarget[t].Select(m => m.Id).Order())))
        {
            var targets = group.ToList();
            var matches = targets.SelectMany(t => byTarget[t]).ToList();
            var rules = matches.Select(m => m.Id).Distinct().Order().ToList();
            entries.Add(new SuggestedExclusion(rules, targets, incident.Path, methods, Reason(matches, wider: false)));
        }
        if (wholeRule.Count > 0)
        {
            var firsts = contributing.Where(m => wholeRule.Contains(m.Id)).DistinctBy(m => m.Id).ToList();
            entries.Add(new SuggestedExclusion([.. wholeRule.Order()], [], incident.Path, methods, Reason(firsts, wider: true)));
        }
        return entries;
    }

    /// <summary>"942100 matched ARGS:comment = '1 OR 1=1'; 942200 matched ARGS:comment = '...'", one line, printable.</summary>
    public static string Reason(IEnumerable<IncidentMatch> matches, bool wider)
    {
        var text = new StringBuilder();
        foreach (var match in matches.DistinctBy(m => (m.Id, m.Variable)))
        {
            if (text.Length > 0)
            {
                text.Append("; ");
            }
            text.Append(match.Id).Append(" matched ").Append(match.Variable.Length == 0 ? "(no variable)" : match.Variable);
            var value = match.Value.Length <= MaxReasonValue ? match.Value : match.Value[..MaxReasonValue] + "...";
            text.Append(" = '").Append(value).Append('\'');
        }
        if (wider)
        {
            text.Append(" (no narrower target: the rule is removed for this path)");
        }
        return Printable.Escape(text.ToString());
    }
}
