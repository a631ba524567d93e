using System.Globalization;

namespace Portcullis.Waf.Variables;

/// <summary>
/// The variables of one transaction: collections and single values, and how a rule target selects from them.
/// ARGS is not stored: it is ARGS_GET followed by ARGS_POST, and every *_NAMES collection is the keys of its parent,
/// so nothing is held twice.
/// </summary>
internal sealed class VariableStore
{
    private readonly KeyedValues?[] _collections = new KeyedValues?[(int)VariableName.FirstSingle];
    private readonly string?[] _singles = new string?[VariableName.Count - VariableName.FirstSingle];

    public KeyedValues Collection(VariableName variable) => _collections[(int)variable] ??= new KeyedValues();

    public KeyedValues? CollectionOrNull(VariableName variable) => _collections[(int)variable];

    public string? Get(VariableName variable) => _singles[variable - VariableName.FirstSingle];

    public void Set(VariableName variable, string? value) => _singles[variable - VariableName.FirstSingle] = value;

    /// <summary>Adds what <paramref name="target"/> selects to <paramref name="into"/>, minus the exclusions.</summary>
    public void Collect(RuleTarget target, IReadOnlyList<RuleTarget>? exclusions, IReadOnlyList<RuleTarget>? runtimeExclusions, List<VariableValue> into)
    {
        var variable = target.Variable;
        if (!VariableRegistry.IsCollection(variable))
        {
            // A single value is named by the variable alone, so `!REQUEST_FILENAME` in the rule or
            // ctl:ruleRemoveTargetById/ByTag=...;REQUEST_FILENAME drops it (v2 re.c: negated targets unset the
            // generated var by name; fetch_target_exception skips a var whose name equals a key-less exception).
            // CRS 941010 relies on this to take REQUEST_FILENAME away from the xss-perf-disable rules.
            if (IsExcluded(variable, exclusions) || IsExcluded(variable, runtimeExclusions))
            {
                return;
            }
            var value = Get(variable);
            if (target.Count)
            {
                into.Add(new VariableValue(variable, null, value is null ? "0" : "1"));
            }
            else if (value is not null)
            {
                into.Add(new VariableValue(variable, null, value));
            }
            return;
        }

        var start = into.Count;
        switch (variable)
        {
            case VariableName.Args:
                AddItems(VariableName.Args, VariableName.ArgsGet, names: false, target, exclusions, runtimeExclusions, into);
                AddItems(VariableName.Args, VariableName.ArgsPost, names: false, target, exclusions, runtimeExclusions, into);
                break;
            case VariableName.ArgsNames:
                AddItems(VariableName.ArgsNames, VariableName.ArgsGet, names: true, target, exclusions, runtimeExclusions, into);
                AddItems(VariableName.ArgsNames, VariableName.ArgsPost, names: true, target, exclusions, runtimeExclusions, into);
                break;
            case VariableName.ArgsGetNames:
                AddItems(variable, VariableName.ArgsGet, names: true, target, exclusions, runtimeExclusions, into);
                break;
            case VariableName.ArgsPostNames:
                AddItems(variable, VariableName.ArgsPost, names: true, target, exclusions, runtimeExclusions, into);
                break;
            case VariableName.RequestHeadersNames:
                AddItems(variable, VariableName.RequestHeaders, names: true, target, exclusions, runtimeExclusions, into);
                break;
            case VariableName.RequestCookiesNames:
                AddItems(variable, VariableName.RequestCookies, names: true, target, exclusions, runtimeExclusions, into);
                break;
            case VariableName.ResponseHeadersNames:
                AddItems(variable, VariableName.ResponseHeaders, names: true, target, exclusions, runtimeExclusions, into);
                break;
            case VariableName.MatchedVarsNames:
                AddItems(variable, VariableName.MatchedVars, names: true, target, exclusions, runtimeExclusions, into);
                break;
            default:
                AddItems(variable, variable, names: false, target, exclusions, runtimeExclusions, into);
                break;
        }

        if (target.Count)
        {
            var count = into.Count - start;
            into.RemoveRange(start, count);
            into.Add(new VariableValue(variable, target.Key, count.ToString(CultureInfo.InvariantCulture)));
        }
    }

    private void AddItems(
        VariableName reportedAs,
        VariableName source,
        bool names,
        RuleTarget target,
        IReadOnlyList<RuleTarget>? exclusions,
        IReadOnlyList<RuleTarget>? runtimeExclusions,
        List<VariableValue> into)
    {
        if (_collections[(int)source] is not { Count: > 0 } collection)
        {
            return;
        }
        if (target.Key is { } key && target.KeyRegex is null && !collection.HasRepeatedKeys)
        {
            // A named key in a collection without repeats: at most one item, found by the index.
            var index = collection.IndexOf(key);
            if (index >= 0)
            {
                AddItem(reportedAs, collection.Items[index], names, exclusions, runtimeExclusions, into);
            }
            return;
        }
        foreach (var item in collection.Items)
        {
            if (target.SelectsKey(item.Key))
            {
                AddItem(reportedAs, item, names, exclusions, runtimeExclusions, into);
            }
        }
    }

    private static void AddItem(
        VariableName reportedAs,
        KeyValuePair<string, string> item,
        bool names,
        IReadOnlyList<RuleTarget>? exclusions,
        IReadOnlyList<RuleTarget>? runtimeExclusions,
        List<VariableValue> into)
    {
        if (!IsExcluded(reportedAs, item.Key, exclusions) && !IsExcluded(reportedAs, item.Key, runtimeExclusions))
        {
            into.Add(new VariableValue(reportedAs, item.Key, names ? item.Key : item.Value));
        }
    }

    private static bool IsExcluded(VariableName variable, IReadOnlyList<RuleTarget>? exclusions)
    {
        if (exclusions is null)
        {
            return false;
        }
        for (var i = 0; i < exclusions.Count; i++)
        {
            if (exclusions[i].Variable == variable)
            {
                return true;
            }
        }
        return false;
    }

    private static bool IsExcluded(VariableName variable, string key, IReadOnlyList<RuleTarget>? exclusions)
    {
        if (exclusions is null)
        {
            return false;
        }
        for (var i = 0; i < exclusions.Count; i++)
        {
            var exclusion = exclusions[i];
            if (exclusion.Variable == variable && exclusion.SelectsKey(key))
            {
                return true;
            }
        }
        return false;
    }
}
