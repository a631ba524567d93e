using System.Globalization;
using Portcullis.Waf.Actions;
using Portcullis.Waf.Operators;
using Portcullis.Waf.SecLang;
using Portcullis.Waf.Transformations;

namespace Portcullis.Waf.Rules;

/// <summary>
/// Applies directives in order, as ModSecurity v2 reads its configuration: rules accumulate per phase, markers
/// fall where they are written, SecDefaultAction affects the rules after it, and SecRuleRemove*/SecRuleUpdate*
/// affect the rules before it. Errors are collected, not thrown one at a time.
/// </summary>
internal sealed class RuleSetBuilder
{
    private const int MaxIncludeDepth = 10;

    private readonly List<RuleLoadError> _errors = [];
    private readonly List<Rule> _rules = [];
    private readonly List<(string Name, int RuleCount)> _markers = [];
    private readonly PhaseDefaults[] _defaults = [.. Enumerable.Repeat(PhaseDefaults.Builtin, 6)];
    private readonly HashSet<int> _ids = [];
    private readonly HashSet<int> _removedIds = [];
    private readonly Stack<string> _including = new();
    private EngineSettings _settings = new();
    private Rule? _chainTail;
    private Directive? _chainOpenedBy;

    public void AddFile(string path, Directive? includedFrom)
    {
        if (_including.Contains(path) || _including.Count >= MaxIncludeDepth)
        {
            Fail(includedFrom!, $"Include of '{path}' loops or nests deeper than {MaxIncludeDepth}");
            return;
        }
        IReadOnlyList<Directive> directives;
        try
        {
            directives = DirectiveReader.ReadFile(path);
        }
        catch (SecLangSyntaxException e)
        {
            _errors.Add(new RuleLoadError(e.File, e.Line, e.Text, e.Message));
            return;
        }
        catch (IOException e)
        {
            AddIoError(path, includedFrom, e.Message);
            return;
        }
        catch (UnauthorizedAccessException e)
        {
            AddIoError(path, includedFrom, e.Message);
            return;
        }
        _including.Push(path);
        Apply(directives);
        _including.Pop();
    }

    public void AddText(string text, string fileName)
    {
        try
        {
            Apply(DirectiveReader.Read(text, fileName));
        }
        catch (SecLangSyntaxException e)
        {
            _errors.Add(new RuleLoadError(e.File, e.Line, e.Text, e.Message));
        }
    }

    public RuleSet Build()
    {
        if (_chainTail is not null)
        {
            Fail(_chainOpenedBy!, "the rule ends with 'chain' but no SecRule follows it");
        }
        if (_errors.Count > 0)
        {
            throw new RuleLoadException(_errors);
        }
        for (var i = 0; i < _rules.Count; i++)
        {
            _rules[i].Ordinal = i;
        }
        Pipelines.Intern(_rules);
        var phases = new PhaseProgram[6];
        for (var phase = 1; phase <= 5; phase++)
        {
            var rules = new List<Rule>();
            var markers = new Dictionary<string, int>(StringComparer.Ordinal);
            var markerIndex = 0;
            for (var i = 0; i < _rules.Count; i++)
            {
                while (markerIndex < _markers.Count && _markers[markerIndex].RuleCount == i)
                {
                    markers.TryAdd(_markers[markerIndex].Name, rules.Count);
                    markerIndex++;
                }
                if (_rules[i].Phase == phase)
                {
                    rules.Add(_rules[i]);
                    // skipAfter may name a rule id: jump past that rule.
                    markers[_rules[i].Id.ToString(CultureInfo.InvariantCulture)] = rules.Count;
                }
            }
            for (; markerIndex < _markers.Count; markerIndex++)
            {
                markers.TryAdd(_markers[markerIndex].Name, rules.Count);
            }
            phases[phase] = new PhaseProgram([.. rules], markers);
        }
        phases[0] = new PhaseProgram([], new Dictionary<string, int>());
        var targetSets = TargetSets.Assign(_rules);
        NamedTargets.Assign(_rules);
        var (literals, responsePhrases) = SharedLiterals.Assign(_rules);
        var set = new RuleSet(phases, _defaults, _settings, _rules.Count) { TargetSetCount = targetSets, Literals = literals, ResponsePhrases = responsePhrases, Dispatch = LiteralDispatch.Build(_rules, literals) };
        SetupFolding.Apply(set);
        return set;
    }

    private void Apply(IReadOnlyList<Directive> directives)
    {
        foreach (var directive in directives)
        {
            try
            {
                ApplyOne(directive);
            }
            catch (FormatException e)
            {
                Fail(directive, e.Message);
            }
            catch (SecLangSyntaxException e)
            {
                _errors.Add(new RuleLoadError(e.File, e.Line, e.Text, e.Message));
            }
            catch (NotSupportedException e)
            {
                Fail(directive, e.Message);
            }
            catch (ArgumentException e)
            {
                Fail(directive, e.Message);
            }
        }
    }

    private void ApplyOne(Directive directive)
    {
        var name = directive.Name;
        if (_chainTail is not null && !string.Equals(name, "SecRule", StringComparison.OrdinalIgnoreCase))
        {
            var opener = _chainOpenedBy!;
            _chainTail = null;
            _chainOpenedBy = null;
            Fail(opener, "the rule ends with 'chain' but the next directive is not a SecRule");
        }
        switch (name.ToUpperInvariant())
        {
            case "SECRULE":
                Arguments(directive, 2, 3);
                AddRule(directive, directive.Arguments[0], directive.Arguments[1], directive.Arguments.Count == 3 ? directive.Arguments[2] : "");
                break;
            case "SECACTION":
                Arguments(directive, 1, 1);
                AddRule(directive, null, null, directive.Arguments[0]);
                break;
            case "SECMARKER":
                Arguments(directive, 1, 1);
                _markers.Add((directive.Arguments[0], _rules.Count));
                break;
            case "SECDEFAULTACTION":
                Arguments(directive, 1, 1);
                SetDefaultAction(directive);
                break;
            case "SECRULEUPDATETARGETBYID":
                Arguments(directive, 2, 3);
                RuleUpdates.UpdateTargets(directive, RulesMatching(IdRange.ParseList(directive.Arguments[0]), directive));
                break;
            case "SECRULEUPDATETARGETBYTAG":
                Arguments(directive, 2, 3);
                var tagPattern = CtlAction.TagPattern(directive.Arguments[0]);
                RuleUpdates.UpdateTargets(directive, _rules.Where(r => tagPattern.MatchesAny(r.Tags)).ToList());
                break;
            case "SECRULEUPDATEACTIONBYID":
                Arguments(directive, 2, 2);
                RuleUpdates.UpdateActions(directive, RulesMatching(IdRange.ParseList(directive.Arguments[0]), directive), this);
                break;
            case "SECRULEREMOVEBYID":
                Arguments(directive, 1, int.MaxValue);
                var ranges = directive.Arguments.SelectMany(IdRange.ParseList).ToArray();
                RemoveRules(r => ranges.Any(range => range.Contains(r.Id)));
                break;
            case "SECRULEREMOVEBYTAG":
                Arguments(directive, 1, 1);
                var removeTag = CtlAction.TagPattern(directive.Arguments[0]);
                RemoveRules(r => removeTag.MatchesAny(r.Tags));
                break;
            case "SECRULEREMOVEBYMSG":
                Arguments(directive, 1, 1);
                var removeMsg = CtlAction.TagPattern(directive.Arguments[0]);
                RemoveRules(r => r.Message is not null && removeMsg.IsMatch(r.Message.Text));
                break;
            case "SECCOMPONENTSIGNATURE":
                Arguments(directive, 1, 1);
                _settings = _settings with { ComponentSignatures = [.. _settings.ComponentSignatures, directive.Arguments[0]] };
                break;
            case "INCLUDE" or "INCLUDEOPTIONAL":
                Arguments(directive, 1, 1);
                Include(directive, optional: name.Equals("IncludeOptional", StringComparison.OrdinalIgnoreCase));
                break;
            default:
                _settings = EngineDirectives.Apply(_settings, directive);
                break;
        }
    }

    private void AddRule(Directive directive, string? variables, string? operatorText, string actionsText)
    {
        var actions = RuleSyntax.ParseActions(actionsText, directive);
        var head = _chainTail is null ? null : _rules[^1];
        Rule rule;
        try
        {
            rule = RuleCompiler.Compile(
                directive,
                variables is null ? null : RuleSyntax.ParseVariables(variables, directive),
                operatorText is null ? null : RuleSyntax.ParseOperator(operatorText),
                actions,
                head,
                phase => _defaults[phase],
                new OperatorContext(Path.GetDirectoryName(directive.File) ?? ".", _settings.RegexMatchTimeout));
        }
        catch
        {
            // A broken link ends its chain: one error, not a second "chain without a following rule".
            _chainTail = null;
            _chainOpenedBy = null;
            throw;
        }
        if (_chainTail is not null)
        {
            _chainTail.Next = rule;
            _chainTail = rule.Next is null ? null : rule;
            if (rule.Next is not null)
            {
                rule.Next = null;
            }
            return;
        }
        if (!_ids.Add(rule.Id))
        {
            throw new FormatException($"rule id {rule.Id} is already used by another rule; ids must be unique");
        }
        _rules.Add(rule);
        if (rule.Next is not null)
        {
            rule.Next = null;
            _chainTail = rule;
            _chainOpenedBy = directive;
        }
    }

    private void RemoveRules(Predicate<Rule> match)
    {
        var removed = new List<int>();
        for (var i = 0; i < _rules.Count; i++)
        {
            if (match(_rules[i]))
            {
                _removedIds.Add(_rules[i].Id);
                removed.Add(i);
            }
        }
        // A marker sits after a number of rules; rules removed before it move it back, or skipAfter would land past
        // the rules that follow the marker (CRS's anomaly evaluation after a SecRuleRemoveByTag, for one).
        for (var m = 0; m < _markers.Count; m++)
        {
            var (name, count) = _markers[m];
            _markers[m] = (name, count - removed.Count(index => index < count));
        }
        _rules.RemoveAll(match);
    }

    /// <summary>The loaded rules with these ids. Naming an id no rule ever had is an error (a typo); naming a rule
    /// that SecRuleRemove* took out is not: removing a rule CRS later updates is a normal tuning step.</summary>
    private List<Rule> RulesMatching(IdRange[] ranges, Directive directive)
    {
        var found = _rules.Where(r => ranges.Any(range => range.Contains(r.Id))).ToList();
        return found.Count > 0 || _removedIds.Any(id => ranges.Any(range => range.Contains(id)))
            ? found
            : throw new FormatException($"no rule with id {directive.Arguments[0]} is loaded before this directive");
    }

    private void SetDefaultAction(Directive directive)
    {
        var actions = RuleSyntax.ParseActions(directive.Arguments[0], directive);
        var phaseAction = actions.FirstOrDefault(a => a.Name == "phase")
            ?? throw new FormatException("SecDefaultAction needs a phase (e.g. \"phase:2,log,auditlog,pass\")");
        var phase = RuleCompiler.ParsePhase(phaseAction.Value);
        var disruptive = DisruptiveAction.Unset;
        int? status = null;
        bool log = true, auditLog = true;
        var transformations = new List<Transformation>();
        foreach (var action in actions)
        {
            switch (action.Name)
            {
                case "phase":
                    break;
                case "pass": disruptive = DisruptiveAction.Pass; break;
                case "deny": disruptive = DisruptiveAction.Deny; break;
                case "drop": disruptive = DisruptiveAction.Drop; break;
                case "block": throw new FormatException("SecDefaultAction cannot be 'block' (block means: do what SecDefaultAction says)");
                case "status":
                    status = int.TryParse(action.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var s) && s is >= 100 and <= 599 ? s
                        : throw new FormatException($"status must be an HTTP status 100-599, not '{action.Value}'");
                    break;
                case "log": log = true; break;
                case "nolog": log = false; auditLog = false; break;
                case "auditlog": auditLog = true; break;
                case "noauditlog": auditLog = false; break;
                case "t":
                    if (string.Equals(action.Value, "none", StringComparison.OrdinalIgnoreCase))
                    {
                        transformations.Clear();
                    }
                    else
                    {
                        transformations.Add(TransformationRegistry.TryGet(action.Value ?? "", out var t) ? t
                            : throw new FormatException($"unknown transformation '{action.Value}'"));
                    }
                    break;
                case "tag" or "msg" or "logdata" or "severity" or "ver" or "rev":
                    break;
                default:
                    throw new FormatException($"SecDefaultAction does not support '{action.Name}' here; use phase, a disruptive action, status, log/nolog, auditlog/noauditlog and t:");
            }
        }
        if (disruptive == DisruptiveAction.Unset)
        {
            throw new FormatException("SecDefaultAction needs a disruptive action (pass, deny or drop)");
        }
        _defaults[phase] = new PhaseDefaults(disruptive, status, log, auditLog, [.. transformations]);
    }

    private void Include(Directive directive, bool optional)
    {
        var pattern = directive.Arguments[0];
        var baseDirectory = Path.GetDirectoryName(directive.File) ?? ".";
        var full = Path.IsPathRooted(pattern) ? pattern : Path.Combine(baseDirectory, pattern);
        var directory = Path.GetDirectoryName(full) ?? ".";
        var filePattern = Path.GetFileName(full);
        var files = Directory.Exists(directory)
            ? Directory.GetFiles(directory, filePattern).Order(StringComparer.Ordinal).ToList()
            : [];
        if (files.Count == 0 && !optional)
        {
            throw new FormatException($"Include: nothing matches '{full}' (use IncludeOptional if that is expected)");
        }
        foreach (var file in files)
        {
            AddFile(Path.GetFullPath(file), directive);
        }
    }

    private static void Arguments(Directive directive, int min, int max)
    {
        var count = directive.Arguments.Count;
        if (count < min || count > max)
        {
            throw new FormatException(min == max
                ? $"{directive.Name} takes {min} argument{(min == 1 ? "" : "s")}, got {count}"
                : $"{directive.Name} takes {min} to {(max == int.MaxValue ? "any number of" : max.ToString(CultureInfo.InvariantCulture))} arguments, got {count}");
        }
    }

    private void AddIoError(string path, Directive? includedFrom, string message)
    {
        if (includedFrom is null)
        {
            _errors.Add(new RuleLoadError(path, 0, "", $"cannot read the rule file: {message}"));
        }
        else
        {
            Fail(includedFrom, $"cannot read included file '{path}': {message}");
        }
    }

    private void Fail(Directive directive, string reason) =>
        _errors.Add(new RuleLoadError(directive.File, directive.Line, Shorten(directive.ToString()), reason));

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";

    internal PhaseDefaults DefaultsFor(int phase) => _defaults[phase];
}
