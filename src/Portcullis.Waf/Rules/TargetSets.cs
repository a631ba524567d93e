using Portcullis.Waf.Variables;

namespace Portcullis.Waf.Rules;

/// <summary>Gives every rule whose targets allow it a shared <see cref="TargetSet"/>, once the rule set is final.</summary>
internal static class TargetSets
{
    /// <summary>Assigns <see cref="Rule.TargetSet"/> on every rule and chain link; returns how many distinct sets there are.</summary>
    public static int Assign(IEnumerable<Rule> rules)
    {
        var sets = new Dictionary<string, TargetSet>(StringComparer.Ordinal);
        foreach (var head in rules)
        {
            foreach (var rule in head.Chain)
            {
                rule.TargetSet = null;
                if (rule.Operator is null || rule.Targets.Length == 0 || !rule.Targets.Concat(rule.Exclusions).All(t => TargetSet.IsStable(t.Variable)))
                {
                    continue;
                }
                var key = string.Join('|', rule.Targets.Select(t => t.Text)) + "|!" + string.Join('|', rule.Exclusions.Select(t => t.Text));
                if (!sets.TryGetValue(key, out var set))
                {
                    set = new TargetSet(sets.Count) { Parts = TargetSet.PartsOf(rule.Targets) };
                    sets[key] = set;
                }
                rule.TargetSet = set;
            }
        }
        return sets.Count;
    }
}
