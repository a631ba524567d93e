using Portcullis.Waf.Actions;
using Portcullis.Waf.Operators;
using Portcullis.Waf.Transactions;
using Portcullis.Waf.Variables;

namespace Portcullis.Waf.Rules;

/// <summary>
/// Works out, when a rule set is built, the answers of the rules that only test a TX value fixed by configuration:
/// CRS's paranoia gates (<c>TX:DETECTION_PARANOIA_LEVEL "@lt 2"</c>, ~110 per request) and its other setup checks.
/// <list type="number">
/// <item><b>The setup.</b> Phase 1 starts with rules that read nothing but TX and write nothing but TX: crs-setup's
/// <c>SecAction</c>s, a site's paranoia settings, REQUEST-901's defaults (<c>&amp;TX:x "@eq 0"</c>). They give the same TX
/// values on every request. Rules among them that depend on the request but cannot change them (a site's exclusions:
/// no TX write, no capture, no skip or allow, no ctl that touches a setup rule) may sit in between. The setup ends at
/// the first rule that is neither. It is run once here, on a transaction with no request.</item>
/// <item><b>Stable values.</b> A TX variable is stable when no rule outside the setup may write it: no setvar names it
/// (a name with a macro counts for every name starting with its literal text) and, for <c>TX:0</c>-<c>TX:9</c>, no rule
/// captures.</item>
/// <item><b>Gates.</b> A head after the setup that tests one stable TX variable as it is, with a numeric operator
/// whose operand reads only stable values, gets its answer (<see cref="Rule.Gate"/>). A gate that does not match is
/// left out of the program a request runs once its setup is complete (<see cref="PhaseProgram.Settled"/>); one that
/// matches sets MATCHED_VAR and runs its actions as before, without looking anything up.</item>
/// </list>
/// The answers hold only once a request has run the whole setup (<see cref="Transaction.SetupComplete"/>): a
/// request stopped earlier in phase 1 evaluates its later phases' gates as written. A setup that would log, block or
/// allow folds nothing.
/// </summary>
internal static class SetupFolding
{
    /// <summary>A tail of setup rules shorter than this runs as written (setting TX costs about what two rules do).</summary>
    private const int MinTail = 4;

    public static void Apply(RuleSet rules)
    {
        var program1 = rules.Phases[(int)Phase.RequestHeaders];
        var phase1 = program1.Rules;
        var pure = phase1.Select(IsPure).ToArray();
        var end = SetupLength(phase1, pure, rules.Defaults);
        var setup = phase1.Take(end).Where((_, i) => pure[i]).ToList();
        var tail = end;
        while (tail > 0 && pure[tail - 1])
        {
            tail--;
        }
        var tailFirst = tail < end ? phase1[tail] : null;
        var tx = rules.CreateTransaction("portcullis-setup", RuleEngineMode.On);
        foreach (var rule in setup)
        {
            if (rule == tailFirst)
            {
                tx.Variables.Set(VariableName.MatchedVarName, null);
            }
            if (!RuleEvaluator.RunSetupRule(tx, rule))
            {
                return;
            }
        }
        var stable = new StableTx(rules, setup);
        for (var phase = 1; phase <= 5; phase++)
        {
            var program = rules.Phases[phase];
            for (var i = phase == 1 ? end : 0; i < program.Rules.Length; i++)
            {
                var rule = program.Rules[i];
                rule.Gate = Fold(rule, stable, tx);
                rules.FoldedGates += rule.Gate is null ? 0 : 1;
            }
        }
        program1.SetupEnd = end;
        for (var phase = 1; phase <= 5; phase++)
        {
            rules.Phases[phase].Settle(phase == 1 ? end : 0);
        }
        if (end - tail >= MinTail)
        {
            program1.SetupTail = tail;
            program1.SetupTx = [.. tx.Variables.ItemsOf(VariableName.Tx)];
            program1.SetupMatched = tx.Variables.Get(VariableName.MatchedVarName) is { } name
                ? (tx.Variables.Get(VariableName.MatchedVar) ?? "", name)
                : null;
        }
        rules.SetupRules = setup.Count;
    }

    /// <summary>How many rules from the start of phase 1 are setup rules or rules that cannot disturb them.</summary>
    private static int SetupLength(Rule[] phase1, bool[] pure, PhaseDefaults[] defaults)
    {
        var end = 0;
        while (end < phase1.Length && (pure[end] || IsTransparent(phase1[end], defaults)))
        {
            end++;
        }
        // A ctl in a request-dependent rule that removes a setup rule (or its targets) on some requests ends the setup
        // before that rule.
        var setup = phase1.Take(end).Where((_, i) => pure[i]).ToList();
        for (var i = 0; i < end; i++)
        {
            if (!pure[i] && phase1[i].Chain.SelectMany(link => link.Actions.OfType<CtlAction>()).Any(ctl => setup.Any(ctl.MayChange)))
            {
                end = i;
            }
        }
        return end;
    }

    /// <summary>Reads only TX (or nothing), writes only TX, always the same way.</summary>
    private static bool IsPure(Rule head) => head.SkipAfter is null && head.Skip == 0 && head.Chain.All(link =>
        !link.Capture
        && link.Exclusions.Length == 0
        && link.Targets.All(target => target is { Variable: VariableName.Tx, Key: not null, KeyRegex: null, Exclude: false })
        && link.Operator switch
        {
            null or ConstantOperator => true,
            NumericOperator numeric => ReadsOnlyTx(numeric.Parameter),
            _ => false,
        }
        && link.Actions.All(action => action is SetVarAction { Collection: VariableName.Tx } setvar
            && ReadsOnlyTx(setvar.Name) && ReadsOnlyTx(setvar.Value)));

    /// <summary>May depend on the request, but cannot change TX, stop the phase or skip a setup rule.</summary>
    private static bool IsTransparent(Rule head, PhaseDefaults[] defaults)
    {
        return head.DisruptiveUnder(defaults[head.Phase]) != DisruptiveAction.Allow && head.SkipAfter is null && head.Skip == 0 && head.Chain.All(link =>
            !link.Capture && link.Actions.All(a => a is CtlAction or SetVarAction { Collection: not VariableName.Tx }));
    }

    private static bool ReadsOnlyTx(Macros.MacroText text) => text.References.All(reference => reference.Variable is VariableName.Tx or VariableName.Rule);

    private static FoldedGate? Fold(Rule rule, StableTx stable, Transaction setup)
    {
        if (rule is not { NamedTarget: { Variable: VariableName.Tx, Key: { } key } target, Operator: NumericOperator numeric, Capture: false }
            || !stable.Holds(key)
            || !stable.HoldsAll(numeric.Parameter)
            || !setup.Variables.TryCollectNamed(target, out var value))
        {
            return null;
        }
        // Nothing selected: the rule cannot match, whatever its operator (a negated one included).
        return value is not { } selected
            ? new FoldedGate(false, default, "")
            : new FoldedGate(numeric.Evaluate(setup, selected.Value, capture: false) != rule.Negated, selected, target.FullNameOf(selected.Key!));
    }

    /// <summary>The TX names no rule outside the setup may write.</summary>
    private sealed class StableTx
    {
        private readonly HashSet<string> _written = new(StringComparer.OrdinalIgnoreCase);
        private readonly List<string> _writtenPrefixes = [];

        public StableTx(RuleSet rules, List<Rule> setup)
        {
            var inSetup = setup.ToHashSet();
            for (var phase = 1; phase <= 5; phase++)
            {
                foreach (var link in rules.Phases[phase].Rules.Where(rule => !inSetup.Contains(rule)).SelectMany(head => head.Chain))
                {
                    Note(link);
                }
            }
        }

        public bool Holds(string key) =>
            !_written.Contains(key) && !_writtenPrefixes.Any(prefix => key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase));

        /// <summary>True when every TX value <paramref name="text"/> reads is stable.</summary>
        public bool HoldsAll(Macros.MacroText text) =>
            text.References.All(reference => reference is { Variable: VariableName.Tx, Key: { } key } && Holds(key));

        private void Note(Rule link)
        {
            if (link.Capture)
            {
                _written.UnionWith(Transaction.CaptureNames);
            }
            foreach (var setvar in link.Actions.OfType<SetVarAction>().Where(s => s.Collection == VariableName.Tx))
            {
                if (setvar.Name.HasMacros)
                {
                    _writtenPrefixes.Add(setvar.Name.LiteralPrefix);
                }
                else
                {
                    _written.Add(setvar.Name.Text);
                }
            }
        }
    }
}
