using Portcullis.Waf.Rules;
using Portcullis.Waf.Variables;

namespace Portcullis.Waf.Transactions;

/// <summary>
/// Runs one phase's rules with ModSecurity v2 semantics:
/// <list type="bullet">
/// <item>A rule matches when its operator (negated or not) is true for at least one selected value; a rule that
/// selects nothing does not match, whatever its operator.</item>
/// <item>On each match: MATCHED_VAR(_NAME) and MATCHED_VARS are set, then the rule's setvar/ctl/initcol run
/// (per matched value, as v2 does).</item>
/// <item>A standalone rule logs and applies its disruptive action per match; a chain does once, when its last link
/// matched, with the head's metadata and the last match's variables.</item>
/// <item><c>skipAfter</c> jumps past the marker within the phase; <c>block</c> and rules without a disruptive action
/// take SecDefaultAction's; deny/drop interrupt only when the engine is On (DetectionOnly logs them).</item>
/// </list>
/// </summary>
internal static class RuleEvaluator
{
    [ThreadStatic]
    private static List<VariableValue>? t_values;

    public static Interruption? RunPhase(Transaction tx, Phase phase)
    {
        var program = tx.Rules.Phases[(int)phase];
        return Run(tx, phase, tx.SetupComplete && program.Settled is { } settled ? settled : program);
    }

    private static Interruption? Run(Transaction tx, Phase phase, PhaseProgram program)
    {
        var rules = program.Rules;
        var setupEnd = program.SetupEnd;
        var setupTail = program.SetupTail;
        for (var i = 0; i < rules.Length; i++)
        {
            if (i + PrefetchDistance < rules.Length)
            {
                Touch(rules[i + PrefetchDistance]);
            }
            if (i == setupEnd)
            {
                tx.SetupComplete = true;
                if (program.Settled is { } settled)
                {
                    // The rest of the phase without the gates that never match now (it starts at this rule).
                    return Run(tx, phase, settled);
                }
            }
            if (i == setupTail)
            {
                // The setup's last rules only write TX, the same way on every request: set what they leave.
                tx.Variables.Collection(VariableName.Tx).ReplaceWith(program.SetupTx);
                if (program.SetupMatched is var (value, name))
                {
                    tx.Variables.Set(VariableName.MatchedVar, value);
                    tx.Variables.Set(VariableName.MatchedVarName, name);
                }
                i = setupEnd - 1;
                continue;
            }
            var rule = rules[i];
            if (tx.IsRemoved(rule) || (rule.Gate is { Matches: false } && tx.SetupComplete))
            {
                continue;
            }
            var timed = RuleTimings.Enabled ? RuleTimings.Start() : 0;
            if (rule.Candidate >= 0 && tx.EngineMode != RuleEngineMode.Off && !tx.Candidates.MayMatch(tx, rule))
            {
                // What EvaluateRule answers for it (no match), without setting up the chain: ~100 rules of a GET.
                if (timed != 0)
                {
                    RuleTimings.AddDispatch(rule.Id, timed);
                }
                continue;
            }
            tx.Variables.CollectionOrNull(VariableName.MatchedVars)?.Clear();
            var outcome = EvaluateChain(tx, rule, phase);
            if (timed != 0)
            {
                RuleTimings.AddEvaluation(rule.Id, timed);
            }
            if (outcome.Interruption is not null)
            {
                return outcome.Interruption;
            }
            if (tx.EngineMode == RuleEngineMode.Off)
            {
                return null;
            }
            if (!outcome.Matched)
            {
                continue;
            }
            if (outcome.Allowed)
            {
                return null;
            }
            if (program.AfterMatch[i] is >= 0 and var next)
            {
                i = next - 1;
            }
        }
        if (setupEnd == rules.Length)
        {
            tx.SetupComplete = true;
        }
        return null;
    }

    /// <summary>
    /// Runs one setup rule on the transaction <see cref="SetupFolding"/> builds the rule set's fixed TX values on; false
    /// when it logged, stopped or allowed (then nothing is folded).
    /// </summary>
    public static bool RunSetupRule(Transaction tx, Rule rule)
    {
        tx.Variables.CollectionOrNull(VariableName.MatchedVars)?.Clear();
        var outcome = EvaluateChain(tx, rule, Phase.RequestHeaders);
        return outcome.Interruption is null && !outcome.Allowed && tx.MatchedRules.Count == 0;
    }

    /// <summary>How many rules ahead <see cref="Touch"/> reads.</summary>
    private const int PrefetchDistance = 4;

    /// <summary>
    /// Reads a rule a few places ahead so its object is on its way into the cache when its turn comes: in a gateway
    /// the TLS, HTTP and proxy work between two requests push the rule set out of the caches, and the first read of
    /// each rule otherwise waits for memory. The load is off the loop's dependency chain, so it overlaps with the
    /// current rule's work.
    /// </summary>
    private static void Touch(Rule rule) => GC.KeepAlive(rule.Operator);

    private static Outcome EvaluateChain(Transaction tx, Rule head, Phase phase)
    {
        tx.CurrentRule = head;
        var removed = new Removed(tx.RemovedTargetsFor(head, out var shareable), shareable);
        if (head.Next is null)
        {
            return EvaluateRule(tx, head, head, phase, removed, reportEachMatch: true);
        }
        var result = EvaluateRule(tx, head, head, phase, removed, reportEachMatch: false);
        for (var link = head.Next; result.Matched && link is not null; link = link.Next)
        {
            result = EvaluateRule(tx, link, head, phase, removed, reportEachMatch: false);
        }
        return result.Matched ? Report(tx, head, phase) : result;
    }

    private static Outcome EvaluateRule(Transaction tx, Rule rule, Rule head, Phase phase, Removed removed, bool reportEachMatch)
    {
        if (rule.Operator is null)
        {
            RunActions(tx, rule);
            return reportEachMatch ? Report(tx, head, phase) : Outcome.Match;
        }

        if (rule.Gate is { Matches: true } gate && removed.Targets is null && tx.SetupComplete)
        {
            // Its stable TX value, looked up when the rule set was built.
            OnMatch(tx, rule, gate.Value, gate.FullName);
            return reportEachMatch ? Report(tx, head, phase) : Outcome.Match;
        }

        if (rule.Candidate >= 0 && !tx.Candidates.MayMatch(tx, rule))
        {
            // No value it may select holds one of its literals once transformed: its operator is false for each.
            return Outcome.NoMatch;
        }
        // The values that woke it, when known one by one: the others' operator is false.
        var woken = rule.Candidate >= 0 && tx.Candidates.KnowsWoken(rule);

        if (rule.NamedTarget is { } named && removed.Targets is null && tx.Variables.TryCollectNamed(named, out var single))
        {
            // The general path below with its one value: no list, no exclusions to test, nothing to transform.
            if (single is not { } value || rule.Operator.Evaluate(tx, value.Value, rule.Capture) == rule.Negated)
            {
                return Outcome.NoMatch;
            }
            OnMatch(tx, rule, value, named.FullNameOf(value.Key!));
            return reportEachMatch ? Report(tx, head, phase) : Outcome.Match;
        }

        List<VariableValue> values;
        // With a long list, each value's literal scan once transformed, for the operator's prefilter.
        ValueScans? scans = null;
        if (rule.TargetSet is { } shared && removed.Shareable)
        {
            var selection = tx.Variables.CollectShared(shared, rule.Targets, rule.Exclusions, removed.Targets, tx.Rules.TargetSetCount);
            values = selection.Values;
            if (!woken && values.Count > 1 && CannotMatchAny(tx, rule, selection))
            {
                return Outcome.NoMatch;
            }
            if (!woken && values.Count >= SelectionLiterals.ScansFrom && !rule.Negated && !rule.MultiMatch && Prefiltered(tx, rule))
            {
                scans = SelectionLiterals.ValueScans(tx, selection, rule.Transformations, rule.UnchangedBy, tx.Rules.Literals!);
            }
        }
        else
        {
            values = t_values ??= [];
            values.Clear();
            foreach (var target in rule.Targets)
            {
                tx.Variables.Collect(target, rule.Exclusions, removed.Targets, values);
            }
        }
        if (values.Count == 0)
        {
            return Outcome.NoMatch;
        }
        // The values are copies of what the collections held when the rule started; actions run per match (setvar, ctl)
        // change TX and the exclusions, never the request collections a shared list comes from, and nothing below
        // evaluates another rule, so it is safe to iterate.
        var matched = false;
        for (var v = 0; v < values.Count; v++)
        {
            if (scans is not null && !scans.MayMatch(v, rule.Operator, tx.Rules.Literals!))
            {
                // The operator's prefilter rules the transformed value out: it would answer false without searching.
                continue;
            }
            var value = values[v];
            if (woken && !tx.Candidates.Woke(rule, value.Value))
            {
                continue;
            }
            if (!Evaluate(tx, rule, value, out var matchedValue))
            {
                continue;
            }
            matched = true;
            OnMatch(tx, rule, value with { Value = matchedValue }, value.FullName);
            if (reportEachMatch)
            {
                var outcome = Report(tx, head, phase);
                if (outcome.Interruption is not null || outcome.Allowed)
                {
                    return outcome;
                }
            }
        }
        return matched ? Outcome.Match : Outcome.NoMatch;
    }

    /// <summary>
    /// True when no value of the selection can pass the rule's prefilter once transformed, so its operator is false for
    /// every value: none holds one of its literals (an <c>@rx</c> prefilter's or an <c>@pm</c> list's), the values
    /// together lack a character every match needs, or they miss a gap clause. With multiMatch the operator sees every
    /// step's output, so the union is over those (<see cref="SelectionLiterals.StepsUnion"/>). A negated operator is
    /// never skipped.
    /// </summary>
    private static bool CannotMatchAny(Transaction tx, Rule rule, SharedSelection selection)
    {
        var (literals, chars, gapped) = rule.Operator switch
        {
            Operators.RxOperator rx => (rx.RequiredLiterals, rx.Chars, rx.GapMasks.Length > 0 ? rx : null),
            Operators.PmOperator pm => (pm.MaskIn(tx.Rules.Literals), null, null),
            Operators.DetectXssOperator => (null, Operators.DetectXssOperator.Chars, null),
            _ => default,
        };
        if ((literals is null && chars is null && gapped is null) || rule.Negated || tx.Rules.Literals is not { } scanner)
        {
            return false;
        }
        var union = rule.MultiMatch
            ? SelectionLiterals.StepsUnion(tx, selection, rule, scanner)
            : SelectionLiterals.Union(tx, selection, rule.TargetSet!.Parts, rule.Transformations, rule.UnchangedBy, scanner);
        var all = SelectionLiterals.CharsOf(union);
        var leftOut = rule.Operator is Operators.PmOperator list && list.MayHoldLeftOut(all.HasOther);
        return (literals is not null && !literals.Any(union) && !leftOut)
            || (chars is not null && !chars.MayMatch(all))
            || (gapped is not null && !gapped.MeetsGapClauses(union, all));
    }

    /// <summary>True when the rule's operator tests a value's scan by the rule set's literals before searching
    /// (<see cref="ValueScans.MayMatch"/>).</summary>
    private static bool Prefiltered(Transaction tx, Rule rule) => tx.Rules.Literals is { } scanner && rule.Operator switch
    {
        Operators.RxOperator rx => rx.RequiredLiterals is not null || rx.GapMasks.Length > 0 || rx.Chars is not null,
        Operators.PmOperator pm => pm.MaskIn(scanner) is not null,
        _ => false,
    };

    /// <summary>Runs the transformations and the operator; with multiMatch the operator runs after every step.</summary>
    private static bool Evaluate(Transaction tx, Rule rule, VariableValue value, out string matchedValue)
    {
        var current = value.Value;
        if (rule.MultiMatch)
        {
            if (rule.Operator!.Evaluate(tx, current, rule.Capture) != rule.Negated)
            {
                matchedValue = current;
                return true;
            }
            foreach (var transformation in rule.Transformations)
            {
                var next = transformation.Apply(current);
                if (ReferenceEquals(next, current) || next == current)
                {
                    continue;
                }
                current = next;
                if (rule.Operator.Evaluate(tx, current, rule.Capture) != rule.Negated)
                {
                    matchedValue = current;
                    return true;
                }
            }
            matchedValue = current;
            return false;
        }
        current = TransformationPipeline.Apply(tx, rule.Transformations, rule.UnchangedBy, value);
        matchedValue = current;
        return rule.Operator!.Evaluate(tx, current, rule.Capture) != rule.Negated;
    }

    /// <param name="name">The value's <see cref="VariableValue.FullName"/> (MATCHED_VAR_NAME).</param>
    private static void OnMatch(Transaction tx, Rule rule, VariableValue matched, string name)
    {
        tx.Variables.Set(VariableName.MatchedVar, matched.Value);
        tx.Variables.Set(VariableName.MatchedVarName, name);
        tx.Variables.Collection(VariableName.MatchedVars).Add(name, matched.Value);
        RunActions(tx, rule);
    }

    private static void RunActions(Transaction tx, Rule rule)
    {
        foreach (var action in rule.Actions)
        {
            action.Execute(tx, rule);
        }
    }

    /// <summary>Logs the match (unless nolog) and applies the head's disruptive action.</summary>
    private static Outcome Report(Transaction tx, Rule head, Phase phase)
    {
        var defaults = tx.Rules.Defaults[head.Phase];
        var action = head.DisruptiveUnder(defaults);
        var enforcing = tx.EngineMode == RuleEngineMode.On;
        var disruptive = action is DisruptiveAction.Deny or DisruptiveAction.Drop;
        if (head.Log)
        {
            tx.CurrentRule = head;
            tx.RecordMatch(new MatchedRule(
                head.Id,
                phase,
                head.Message?.Expand(tx),
                head.LogData?.Expand(tx),
                head.Severity is { } severity ? Severity.NameOf(severity) : null,
                head.Tags,
                head.Version,
                tx.Variables.Get(VariableName.MatchedVarName) ?? "",
                tx.Variables.Get(VariableName.MatchedVar) ?? "",
                head.File,
                head.Line,
                disruptive && enforcing));
        }
        if (!enforcing)
        {
            return Outcome.Match;
        }
        switch (action)
        {
            case DisruptiveAction.Deny:
                return new Outcome(true, new Interruption(head.Status ?? defaults.Status ?? 403, head.Id, "deny", phase), false);
            case DisruptiveAction.Drop:
                return new Outcome(true, new Interruption(head.Status ?? defaults.Status ?? 403, head.Id, "drop", phase), false);
            case DisruptiveAction.Allow:
                tx.AllowThrough(head.AllowScope switch
                {
                    AllowScope.Phase => phase,
                    AllowScope.Request => Phase.RequestBody,
                    _ => Phase.ResponseBody,
                });
                return new Outcome(true, null, true);
            default:
                return Outcome.Match;
        }
    }

    /// <summary>Targets a ctl removed from the rule; <see cref="Shareable"/> when the array is the same object for every
    /// rule the removal applies to (then the selection can be shared).</summary>
    private readonly record struct Removed(RuleTarget[]? Targets, bool Shareable);

    private readonly record struct Outcome(bool Matched, Interruption? Interruption, bool Allowed)
    {
        public static Outcome Match => new(true, null, false);

        public static Outcome NoMatch => new(false, null, false);
    }
}
