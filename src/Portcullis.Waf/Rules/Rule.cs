using Portcullis.Waf.Actions;
using Portcullis.Waf.Macros;
using Portcullis.Waf.Operators;
using Portcullis.Waf.Transformations;
using Portcullis.Waf.Variables;

namespace Portcullis.Waf.Rules;

/// <summary>
/// One compiled rule (a <c>SecRule</c>, a <c>SecAction</c>, or one link of a chain): what it inspects, how it
/// transforms, what it tests and what it does. Immutable once the rule set is built and shared by every transaction.
/// A chain is the head with <see cref="Next"/> links; the head carries the metadata, the disruptive action, and
/// <c>skipAfter</c>, which apply when the whole chain matched.
/// </summary>
internal sealed class Rule
{
    public required int Id { get; init; }

    /// <summary>Position among the rule set's chain heads and standalone rules (set when the set is built; -1 for links):
    /// lets per-rule answers that never change, such as whether a tag selector matches, be remembered in an array.</summary>
    public int Ordinal { get; set; } = -1;

    public required int Phase { get; set; }

    public required string File { get; init; }

    public required int Line { get; init; }

    /// <summary>The directive as written (shortened), for errors and logs.</summary>
    public required string Text { get; init; }

    public RuleTarget[] Targets { get; set; } = [];

    public RuleTarget[] Exclusions { get; set; } = [];

    /// <summary>Shared with the rules that read the same stable collections the same way (values collected once per transaction); null otherwise.</summary>
    public TargetSet? TargetSet { get; set; }

    /// <summary>Null for SecAction, which always matches.</summary>
    public Operator? Operator { get; init; }

    public bool Negated { get; init; }

    public string OperatorName { get; init; } = "unconditionalMatch";

    public Transformation[] Transformations { get; set; } = [];

    /// <summary>
    /// Characters a value may be made of and come out of <see cref="Transformations"/> unchanged (set when the rule set
    /// is built, shared by the rules with the same pipeline); null when the pipeline's steps do not all say.
    /// </summary>
    public UnchangedChars? UnchangedBy { get; set; }

    public bool MultiMatch { get; set; }

    /// <summary>The one named item this rule reads as it is (set when the rule set is built); null for the general path.</summary>
    public RuleTarget? NamedTarget { get; set; }

    public DisruptiveAction Disruptive { get; set; }

    public AllowScope AllowScope { get; set; }

    public int? Status { get; set; }

    public MacroText? Message { get; set; }

    public MacroText? LogData { get; set; }

    public int? Severity { get; set; }

    public string[] Tags { get; set; } = [];

    public string? Version { get; set; }

    /// <summary>Whether a match is logged (<c>log</c>/<c>nolog</c>, default from SecDefaultAction).</summary>
    public bool Log { get; set; } = true;

    public bool AuditLog { get; set; } = true;

    public bool Capture { get; set; }

    public string? SkipAfter { get; set; }

    public int Skip { get; set; }

    /// <summary>setvar, ctl, initcol... run on every match of this rule (or link), in the order written.</summary>
    public RuleAction[] Actions { get; set; } = [];

    public Rule? Next { get; set; }

    /// <summary>This rule and the links chained after it, in order.</summary>
    public IEnumerable<Rule> Chain
    {
        get
        {
            for (var link = this; link is not null; link = link.Next)
            {
                yield return link;
            }
        }
    }

    /// <summary>The disruptive action that applies: <c>block</c>, or none given, takes SecDefaultAction's.</summary>
    public DisruptiveAction DisruptiveUnder(PhaseDefaults defaults) =>
        Disruptive is DisruptiveAction.Unset or DisruptiveAction.Block ? defaults.Disruptive : Disruptive;

    /// <summary>
    /// For a head that tests one TX value the setup rules fix for every request (<c>TX:DETECTION_PARANOIA_LEVEL "@lt 2"</c>),
    /// its answer, worked out when the rule set was built (<see cref="SetupFolding"/>); null otherwise.
    /// </summary>
    public FoldedGate? Gate { get; set; }

    public bool IsChainLink { get; init; }

    /// <summary>
    /// This rule's number among those a literal must wake (<see cref="LiteralDispatch"/>), or -1: then a transaction
    /// passes it over unless a value it may select holds one of its literals (<see cref="Transactions.CandidateRules"/>).
    /// </summary>
    public int Candidate { get; set; } = -1;


    public bool HasTag(string tag)
    {
        foreach (var t in Tags)
        {
            if (string.Equals(t, tag, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }

    public override string ToString() => $"rule {Id} ({File}:{Line})";
}
