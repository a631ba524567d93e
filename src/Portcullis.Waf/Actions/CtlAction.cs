using Portcullis.Waf.Operators;
using Portcullis.Waf.Rules;
using Portcullis.Waf.SecLang;
using Portcullis.Waf.Transactions;
using Portcullis.Waf.Variables;

namespace Portcullis.Waf.Actions;

/// <summary>
/// <c>ctl:option=value</c>: changes the engine's behaviour for the rest of this transaction only
/// (ModSecurity v2 reference manual, "ctl"). Parsed and validated at load time.
/// </summary>
internal sealed class CtlAction : RuleAction
{
    private readonly Action<Transaction> _apply;
    private readonly Func<Rule, bool>? _changes;

    private CtlAction(Action<Transaction> apply, Func<Rule, bool>? changes = null)
    {
        _apply = apply;
        _changes = changes;
    }

    public override void Execute(Transaction transaction, Rule rule) => _apply(transaction);

    /// <summary>True when running this ctl may change how <paramref name="rule"/> runs (removes it or some of its targets).</summary>
    public bool MayChange(Rule rule) => _changes?.Invoke(rule) ?? false;

    public static CtlAction Parse(string text, Directive at)
    {
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            throw new FormatException($"ctl needs option=value, got '{text}'");
        }
        var option = text[..equals].Trim();
        var value = text[(equals + 1)..].Trim();
        return option.ToUpperInvariant() switch
        {
            "RULEREMOVEBYID" => Removal(IdRange.ParseList(value)),
            "RULEREMOVEBYTAG" => RemovalByTag(TagPattern(value)),
            "RULEREMOVETARGETBYID" => TargetRemoval(value, at, byTag: false),
            "RULEREMOVETARGETBYTAG" => TargetRemoval(value, at, byTag: true),
            "RULEENGINE" => EngineMode(ParseEngineMode(value)),
            "REQUESTBODYPROCESSOR" => BodyProcessor(value),
            "FORCEREQUESTBODYVARIABLE" => ParseOnOff(value, option) ? new CtlAction(tx => tx.ForceRequestBodyVariable = true) : new CtlAction(tx => tx.ForceRequestBodyVariable = false),
            "REQUESTBODYACCESS" => ParseOnOff(value, option) ? new CtlAction(tx => tx.RequestBodyAccess = true) : new CtlAction(tx => tx.RequestBodyAccess = false),
            "RESPONSEBODYACCESS" => ParseOnOff(value, option) ? new CtlAction(tx => tx.ResponseBodyAccess = true) : new CtlAction(tx => tx.ResponseBodyAccess = false),
            "AUDITENGINE" => AuditEngine(value),
            _ => throw new FormatException($"ctl option '{option}' is not supported; supported: ruleRemoveById, ruleRemoveByTag, ruleRemoveTargetById, ruleRemoveTargetByTag, ruleEngine, requestBodyProcessor, forceRequestBodyVariable, requestBodyAccess, responseBodyAccess, auditEngine"),
        };
    }

    // Values are parsed here, at load time, so a bad one is a load error with file:line, not a surprise per request.
    private static CtlAction EngineMode(RuleEngineMode mode) => new(tx => tx.EngineMode = mode);

    internal static RuleEngineMode ParseEngineMode(string value) => value.ToUpperInvariant() switch
    {
        "ON" => RuleEngineMode.On,
        "OFF" => RuleEngineMode.Off,
        "DETECTIONONLY" => RuleEngineMode.DetectionOnly,
        _ => throw new FormatException($"'{value}' is not a rule engine mode; use On, Off or DetectionOnly"),
    };

    internal static bool ParseOnOff(string value, string what) => value.ToUpperInvariant() switch
    {
        "ON" => true,
        "OFF" => false,
        _ => throw new FormatException($"{what} takes On or Off, not '{value}'"),
    };

    internal static TagMatcher TagPattern(string value) => TagMatcher.Parse(value);

    private static CtlAction Removal(IdRange[] ranges) => new(tx => tx.RemoveRules(ranges), rule => Covers(ranges, rule));

    private static CtlAction RemovalByTag(TagMatcher tag) => new(tx => tx.RemoveRulesByTag(tag), rule => tag.MatchesAny(rule.Tags));

    private static bool Covers(IdRange[] ranges, Rule rule) => ranges.Any(range => range.Contains(rule.Id));

    private static CtlAction TargetRemoval(string value, Directive at, bool byTag)
    {
        var semicolon = value.IndexOf(';', StringComparison.Ordinal);
        if (semicolon <= 0 || semicolon == value.Length - 1)
        {
            throw new FormatException($"expected '{(byTag ? "TAG" : "ID")};TARGET' (e.g. 942100;ARGS:password), got '{value}'");
        }
        var targets = RuleSyntax.ParseVariables(value[(semicolon + 1)..], at).Select(TargetCompiler.Compile).ToArray();
        var selector = value[..semicolon].Trim();
        if (byTag)
        {
            var tag = TagPattern(selector);
            return new CtlAction(tx => tx.RemoveTargets(null, tag, targets), rule => tag.MatchesAny(rule.Tags));
        }
        var ranges = IdRange.ParseList(selector);
        return new CtlAction(tx => tx.RemoveTargets(ranges, null, targets), rule => Covers(ranges, rule));
    }

    private static CtlAction BodyProcessor(string value)
    {
        var name = value.ToUpperInvariant();
        return name is "URLENCODED" or "MULTIPART" or "JSON" or "XML"
            ? new CtlAction(tx => tx.Variables.Set(VariableName.ReqbodyProcessor, name))
            : throw new FormatException($"'{value}' is not a request body processor; use URLENCODED, MULTIPART, JSON or XML");
    }

    private static CtlAction AuditEngine(string value)
    {
        var upper = value.ToUpperInvariant();
        return upper is "ON" or "OFF" or "RELEVANTONLY"
            ? new CtlAction(tx => tx.AuditEngine = upper)
            : throw new FormatException($"auditEngine takes On, Off or RelevantOnly, not '{value}'");
    }
}
