namespace Portcullis.Waf.Rules;

/// <summary>
/// What <c>SecDefaultAction</c> set for a phase: the disruptive action <c>block</c> (and a rule with none) takes,
/// whether to log, the status and the transformations every rule of the phase starts with. ModSecurity's built-in
/// default is <c>phase:2,log,auditlog,pass</c>.
/// </summary>
internal sealed record PhaseDefaults(DisruptiveAction Disruptive, int? Status, bool Log, bool AuditLog, Transformations.Transformation[] Transformations)
{
    public static PhaseDefaults Builtin { get; } = new(DisruptiveAction.Pass, null, true, true, []);
}
