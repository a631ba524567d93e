using Portcullis.Waf.SecLang;
using Portcullis.Waf.Variables;

namespace Portcullis.Waf.Rules;

/// <summary>SecRuleUpdateTargetById/ByTag and SecRuleUpdateActionById: change rules already loaded.</summary>
internal static class RuleUpdates
{
    /// <summary>
    /// Adds targets (<c>ARGS:x</c>) or exclusions (<c>!ARGS:x</c>) to each rule; with a third argument, replaces that
    /// target instead (ModSecurity v2). CRS uses this to exclude cookies and arguments from rules.
    /// </summary>
    public static void UpdateTargets(Directive directive, List<Rule> rules)
    {
        var specs = RuleSyntax.ParseVariables(directive.Arguments[1], directive).Select(TargetCompiler.Compile).ToList();
        var replaced = directive.Arguments.Count == 3
            ? TargetCompiler.Compile(RuleSyntax.ParseVariables(directive.Arguments[2], directive).Single())
            : null;
        foreach (var rule in rules)
        {
            var targets = rule.Targets.ToList();
            var exclusions = rule.Exclusions.ToList();
            if (replaced is not null)
            {
                var index = targets.FindIndex(t => string.Equals(t.Text, replaced.Text, StringComparison.OrdinalIgnoreCase));
                if (index < 0)
                {
                    throw new FormatException($"rule {rule.Id} has no target '{replaced.Text}' to replace");
                }
                targets.RemoveAt(index);
            }
            foreach (var spec in specs)
            {
                if (spec.Exclude)
                {
                    exclusions.Add(spec);
                }
                else if (!targets.Any(t => string.Equals(t.Text, spec.Text, StringComparison.OrdinalIgnoreCase)))
                {
                    targets.Add(spec);
                }
            }
            rule.Targets = [.. targets];
            rule.Exclusions = [.. exclusions];
        }
    }

    /// <summary>
    /// Replaces actions of the listed rules: metadata and disruptive actions are overwritten, transformations
    /// replaced when given; id, phase and chain cannot change (ModSecurity v2 refuses that too).
    /// </summary>
    public static void UpdateActions(Directive directive, List<Rule> rules, RuleSetBuilder builder)
    {
        var actions = RuleSyntax.ParseActions(directive.Arguments[1], directive);
        if (actions.Any(a => a.Name is "id" or "phase" or "chain"))
        {
            throw new FormatException("SecRuleUpdateActionById cannot change id, phase or chain");
        }
        foreach (var rule in rules)
        {
            var updated = RuleCompiler.Compile(
                directive,
                null,
                null,
                [new ActionSpec("id", rule.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)), new ActionSpec("phase", rule.Phase.ToString(System.Globalization.CultureInfo.InvariantCulture)), .. actions],
                null,
                builder.DefaultsFor,
                new Operators.OperatorContext(".", TimeSpan.FromSeconds(1)));
            if (actions.Any(a => a.Name == "t"))
            {
                rule.Transformations = updated.Transformations;
            }
            if (updated.Disruptive != DisruptiveAction.Unset)
            {
                rule.Disruptive = updated.Disruptive;
                rule.AllowScope = updated.AllowScope;
            }
            rule.Status = updated.Status ?? rule.Status;
            rule.Message = updated.Message ?? rule.Message;
            rule.LogData = updated.LogData ?? rule.LogData;
            rule.Severity = updated.Severity ?? rule.Severity;
            rule.Version = updated.Version ?? rule.Version;
            if (updated.Tags.Length > 0)
            {
                rule.Tags = [.. rule.Tags, .. updated.Tags];
            }
            if (actions.Any(a => a.Name is "log" or "nolog"))
            {
                rule.Log = updated.Log;
            }
            if (updated.Actions.Length > 0)
            {
                rule.Actions = [.. rule.Actions, .. updated.Actions];
            }
            rule.Capture |= updated.Capture;
            rule.SkipAfter = updated.SkipAfter ?? rule.SkipAfter;
        }
    }
}
