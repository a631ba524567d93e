using Portcullis.Waf.Variables;

namespace Portcullis.Waf.Rules;

/// <summary>
/// Finds the rules that read one named item of a collection as it is (<c>SecRule TX:DETECTION_PARANOIA_LEVEL "@lt 2"</c>):
/// one target with a literal key, no exclusion, no transformation, no multiMatch. CRS runs ~150 of them per request
/// (the paranoia-level gates of every file, the anomaly thresholds, the setup checks), so their value is looked up in
/// the collection's index directly instead of going through the general collection of targets.
/// </summary>
internal static class NamedTargets
{
    /// <summary>Sets <see cref="Rule.NamedTarget"/> on every rule and chain link, once the rule set is final.</summary>
    public static void Assign(IEnumerable<Rule> rules)
    {
        foreach (var head in rules)
        {
            foreach (var rule in head.Chain)
            {
                rule.NamedTarget = rule is { Operator: not null, Targets: [var target], Exclusions: [], Transformations: [], MultiMatch: false }
                    && IsNamedItem(target)
                        ? target
                        : null;
            }
        }
    }

    /// <summary>A literal key of a collection that is stored as it is read (ARGS and the *_NAMES views are built from
    /// other collections, so they keep the general path).</summary>
    private static bool IsNamedItem(RuleTarget target) =>
        target is { Key: not null, KeyRegex: null, Count: false, Exclude: false }
        && VariableRegistry.IsCollection(target.Variable)
        && target.Variable is not (VariableName.Args or VariableName.ArgsNames or VariableName.ArgsGetNames or VariableName.ArgsPostNames
            or VariableName.RequestHeadersNames or VariableName.RequestCookiesNames or VariableName.ResponseHeadersNames
            or VariableName.MatchedVarsNames);
}
