using System.Buffers;
using Portcullis.Waf.Transformations;

namespace Portcullis.Waf.Rules;

/// <summary>
/// Gives every rule with the same transformation pipeline the same array (the transformation cache keys on it by
/// reference) and the characters that pipeline leaves alone (<see cref="UnchangedValues"/>), computed once per
/// pipeline when the rule set is built.
/// </summary>
internal static class Pipelines
{
    public static void Intern(IEnumerable<Rule> heads)
    {
        var pipelines = new Dictionary<string, (Transformation[] Steps, UnchangedChars? Safe)>(StringComparer.Ordinal);
        foreach (var head in heads)
        {
            foreach (var rule in head.Chain)
            {
                var key = string.Join(',', rule.Transformations.Select(t => t.Name));
                if (!pipelines.TryGetValue(key, out var pipeline))
                {
                    pipeline = pipelines[key] = (rule.Transformations, UnchangedValues.For(rule.Transformations));
                }
                rule.Transformations = pipeline.Steps;
                rule.UnchangedBy = pipeline.Safe;
            }
        }
    }
}
