using Portcullis.Waf.Transactions;

namespace Portcullis.Waf.Rules;

/// <summary>
/// A loaded, immutable set of rules and engine settings, shared by any number of concurrent transactions.
/// Load it with <see cref="RuleSetLoader"/>; start a transaction per request with <see cref="CreateTransaction"/>.
/// </summary>
public sealed class RuleSet
{
    internal RuleSet(PhaseProgram[] phases, PhaseDefaults[] defaults, EngineSettings settings, int ruleCount)
    {
        Phases = phases;
        Defaults = defaults;
        Settings = settings;
        RuleCount = ruleCount;
    }

    /// <summary>Indexed by phase number 1-5 (0 unused).</summary>
    internal PhaseProgram[] Phases { get; }

    /// <summary>SecDefaultAction per phase number 1-5.</summary>
    internal PhaseDefaults[] Defaults { get; }

    public EngineSettings Settings { get; }

    /// <summary>Rules loaded (chain heads and standalone rules; links not counted).</summary>
    public int RuleCount { get; }

    /// <summary>All ASCII prefilter literals of the rule set's <c>@rx</c> rules in one automaton, or null.</summary>
    internal Operators.Prefilter.LiteralScanner? Literals { get; init; }

    /// <summary>Which rules each of <see cref="Literals"/> can wake, or null.</summary>
    internal LiteralDispatch? Dispatch { get; init; }

    /// <summary>The phrases of the response phases' <c>@pm</c> lists in one automaton, or null.</summary>
    internal Operators.Prefilter.LiteralScanner? ResponsePhrases { get; init; }

    /// <summary>Phase-1 setup rules run once when the rule set was built (<see cref="SetupFolding"/>).</summary>
    public int SetupRules { get; internal set; }

    /// <summary>Rule heads whose answer was worked out when the rule set was built (<see cref="Rule.Gate"/>).</summary>
    public int FoldedGates { get; internal set; }

    /// <summary>Distinct <see cref="Variables.TargetSet"/>s: the size of each transaction's collected-values cache.</summary>
    internal int TargetSetCount { get; init; }

    /// <summary>Starts a transaction; <paramref name="mode"/> overrides SecRuleEngine for it (rules may still change it with ctl).</summary>
    public Transaction CreateTransaction(string id, RuleEngineMode? mode = null) => new(this, id, mode ?? Settings.RuleEngine);
}
