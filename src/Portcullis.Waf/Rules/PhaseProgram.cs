namespace Portcullis.Waf.Rules;

/// <summary>
/// The rules of one phase in evaluation order, and where each <c>SecMarker</c> falls among them, so
/// <c>skipAfter:MARKER</c> is an array index. ModSecurity v2 places a marker in every phase; so do we.
/// </summary>
internal sealed class PhaseProgram(Rule[] rules, IReadOnlyDictionary<string, int> markers)
{
    public Rule[] Rules { get; } = rules;

    /// <summary>
    /// Per rule, the index of the first rule after its <c>skipAfter</c> marker (or after the last rule with that id),
    /// or -1 without one or when the phase has no such marker. Resolved once here, not per match: CRS's paranoia gates
    /// jump on nearly every request.
    /// </summary>
    public int[] SkipTargets { get; } =
        [.. rules.Select(rule => rule.SkipAfter is { } marker && markers.TryGetValue(marker, out var index) ? index : -1)];

    /// <summary>
    /// In phase 1, the index the loop passes once the rule set's setup rules have all run (<see cref="SetupFolding"/>):
    /// from there on the TX values the setup fixed hold, and folded gates (<see cref="Rule.Gate"/>) apply. -1 in the
    /// other phases, and when nothing was folded.
    /// </summary>
    public int SetupEnd { get; set; } = -1;

    /// <summary>
    /// In phase 1, where the setup's last run of rules that only write TX starts (-1: none). The loop does not run them:
    /// it sets TX to what they leave (<see cref="SetupTx"/>) and goes on at <see cref="SetupEnd"/>.
    /// </summary>
    public int SetupTail { get; set; } = -1;

    /// <summary>TX as every request leaves the setup.</summary>
    public KeyValuePair<string, string>[] SetupTx { get; set; } = [];

    /// <summary>MATCHED_VAR and MATCHED_VAR_NAME after the setup's tail, when a rule of the tail matched (null otherwise).</summary>
    public (string Value, string Name)? SetupMatched { get; set; }
}
