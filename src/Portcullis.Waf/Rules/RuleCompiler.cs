using System.Globalization;
using Portcullis.Waf.Actions;
using Portcullis.Waf.Macros;
using Portcullis.Waf.Operators;
using Portcullis.Waf.SecLang;
using Portcullis.Waf.Transformations;
using Portcullis.Waf.Variables;

namespace Portcullis.Waf.Rules;

/// <summary>
/// Compiles one <c>SecRule</c> or <c>SecAction</c> into a <see cref="Rule"/>: every variable, operator,
/// transformation and action is looked up by its SecLang name; anything unknown or malformed throws
/// <see cref="FormatException"/> with the reason (the builder adds file, line and directive).
/// </summary>
internal static class RuleCompiler
{
    /// <summary>Actions that only describe the rule; accepted and kept out of evaluation.</summary>
    private static readonly HashSet<string> MetadataOnly = new(StringComparer.OrdinalIgnoreCase) { "rev", "maturity", "accuracy" };

    public static Rule Compile(
        Directive directive,
        IReadOnlyList<VariableSpec>? variables,
        OperatorSpec? operatorSpec,
        IReadOnlyList<ActionSpec> actions,
        Rule? chainHead,
        Func<int, PhaseDefaults> defaultsForPhase,
        OperatorContext operatorContext)
    {
        var isLink = chainHead is not null;
        var phase = chainHead?.Phase ?? 2;
        int? id = null;
        foreach (var action in actions)
        {
            if (action.Name == "phase")
            {
                phase = isLink ? throw new FormatException("a chained rule takes its phase from the chain's first rule; remove 'phase' here") : ParsePhase(action.Value);
            }
            else if (action.Name == "id")
            {
                id = isLink ? throw new FormatException("a chained rule carries no id; the chain reports under its first rule's id")
                    : int.TryParse(action.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed > 0 ? parsed
                    : throw new FormatException($"id must be a positive integer, not '{action.Value}'");
            }
        }
        if (!isLink && id is null)
        {
            throw new FormatException("every rule needs an id (add id:N)");
        }

        var defaults = defaultsForPhase(phase);
        var targets = new List<RuleTarget>();
        var exclusions = new List<RuleTarget>();
        foreach (var spec in variables ?? [])
        {
            var target = TargetCompiler.Compile(spec);
            (target.Exclude ? exclusions : targets).Add(target);
        }
        if (variables is not null && targets.Count == 0)
        {
            throw new FormatException("the rule excludes targets but selects none");
        }

        var rule = new Rule
        {
            Id = id ?? chainHead!.Id,
            Phase = phase,
            File = directive.File,
            Line = directive.Line,
            Text = Shorten(directive.ToString()),
            Operator = operatorSpec is null ? null : OperatorRegistry.Create(operatorSpec.Name, operatorSpec.Parameter, operatorContext),
            OperatorName = operatorSpec?.Name ?? "unconditionalMatch",
            Negated = operatorSpec?.Negated ?? false,
            IsChainLink = isLink,
            Targets = [.. targets],
            Exclusions = [.. exclusions],
            Log = defaults.Log,
            AuditLog = defaults.AuditLog,
        };

        var transformations = new List<Transformation>(defaults.Transformations);
        var ruleActions = new List<RuleAction>();
        var tags = new List<string>();
        var chain = false;
        foreach (var action in actions)
        {
            ApplyAction(rule, action, directive, transformations, ruleActions, tags, ref chain);
        }
        rule.Transformations = [.. transformations];
        rule.Actions = [.. ruleActions];
        rule.Tags = [.. tags];
        if (isLink && (rule.Disruptive != DisruptiveAction.Unset || rule.SkipAfter is not null || rule.Skip != 0))
        {
            throw new FormatException("disruptive actions and skip/skipAfter belong on the chain's first rule");
        }
        return chain ? MarkChained(rule) : rule;
    }

    private static Rule MarkChained(Rule rule)
    {
        rule.Next = ChainPending;
        return rule;
    }

    /// <summary>Placeholder link: the rule said <c>chain</c> and the next SecRule will replace it.</summary>
    internal static Rule ChainPending { get; } = new() { Id = 0, Phase = 0, File = "", Line = 0, Text = "(chain pending)" };

    private static void ApplyAction(
        Rule rule,
        ActionSpec action,
        Directive directive,
        List<Transformation> transformations,
        List<RuleAction> ruleActions,
        List<string> tags,
        ref bool chain)
    {
        var value = action.Value;
        switch (action.Name)
        {
            case "id" or "phase":
                return;
            case "t":
                var name = Required(action);
                if (string.Equals(name, "none", StringComparison.OrdinalIgnoreCase))
                {
                    transformations.Clear();
                }
                else
                {
                    transformations.Add(TransformationRegistry.TryGet(name, out var transformation)
                        ? transformation
                        : throw new FormatException($"unknown transformation '{name}'; supported: none, {string.Join(", ", TransformationRegistry.Names.Order())}"));
                }
                return;
            case "msg":
                rule.Message = MacroText.Parse(Required(action));
                return;
            case "logdata":
                rule.LogData = MacroText.Parse(Required(action));
                return;
            case "severity":
                rule.Severity = Severity.TryParse(Required(action), out var severity) ? severity
                    : throw new FormatException($"severity '{value}' is not 0-7 or a name like CRITICAL");
                return;
            case "tag":
                tags.Add(Required(action));
                return;
            case "ver":
                rule.Version = Required(action);
                return;
            case "log":
                rule.Log = true;
                return;
            case "nolog":
                rule.Log = false;
                rule.AuditLog = false;
                return;
            case "auditlog":
                rule.AuditLog = true;
                return;
            case "noauditlog":
                rule.AuditLog = false;
                return;
            case "capture":
                rule.Capture = true;
                return;
            case "multimatch":
                rule.MultiMatch = true;
                return;
            case "chain":
                chain = true;
                return;
            case "pass":
                SetDisruptive(rule, DisruptiveAction.Pass);
                return;
            case "block":
                SetDisruptive(rule, DisruptiveAction.Block);
                return;
            case "deny":
                SetDisruptive(rule, DisruptiveAction.Deny);
                return;
            case "drop":
                SetDisruptive(rule, DisruptiveAction.Drop);
                return;
            case "allow":
                SetDisruptive(rule, DisruptiveAction.Allow);
                rule.AllowScope = value?.ToUpperInvariant() switch
                {
                    null or "" => AllowScope.Transaction,
                    "PHASE" => AllowScope.Phase,
                    "REQUEST" => AllowScope.Request,
                    _ => throw new FormatException($"allow takes no value, 'phase' or 'request', not '{value}'"),
                };
                return;
            case "status":
                rule.Status = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var status) && status is >= 100 and <= 599
                    ? status
                    : throw new FormatException($"status must be an HTTP status 100-599, not '{value}'");
                return;
            case "skipafter":
                rule.SkipAfter = Required(action);
                return;
            case "skip":
                rule.Skip = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var skip) && skip > 0
                    ? skip
                    : throw new FormatException($"skip needs a positive number of rules, not '{value}'");
                return;
            case "setvar":
                ruleActions.Add(SetVarAction.Parse(Required(action)));
                return;
            case "ctl":
                ruleActions.Add(CtlAction.Parse(Required(action), directive));
                return;
            case "initcol":
                ruleActions.Add(InitColAction.Parse(Required(action)));
                return;
            default:
                if (MetadataOnly.Contains(action.Name))
                {
                    return;
                }
                throw new FormatException($"action '{action.Name}' is not supported by this engine");
        }
    }

    private static void SetDisruptive(Rule rule, DisruptiveAction action) => rule.Disruptive = action;

    private static string Required(ActionSpec action) =>
        string.IsNullOrEmpty(action.Value) ? throw new FormatException($"action '{action.Name}' needs a value") : action.Value;

    internal static int ParsePhase(string? value) => value?.ToUpperInvariant() switch
    {
        "1" => 1,
        "2" or "REQUEST" => 2,
        "3" => 3,
        "4" or "RESPONSE" => 4,
        "5" or "LOGGING" => 5,
        _ => throw new FormatException($"phase must be 1-5, request, response or logging, not '{value}'"),
    };

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";
}
