namespace Portcullis.Waf.Rules;

/// <summary>
/// The rules of one phase in evaluation order, and where the loop goes on after a rule that skips matched, so
/// <c>skipAfter:MARKER</c> and <c>skip:N</c> are an array index. ModSecurity v2 places a marker in every phase; so do we.
/// </summary>
internal sealed class PhaseProgram
{
    public PhaseProgram(Rule[] rules, IReadOnlyDictionary<string, int> markers)
        : this(rules, [.. rules.Select((rule, i) => AfterMatchOf(rule, i, rules.Length, markers))])
    {
    }

    private PhaseProgram(Rule[] rules, int[] afterMatch)
    {
        Rules = rules;
        AfterMatch = afterMatch;
    }

    public Rule[] Rules { get; }

    /// <summary>
    /// Per rule, the index the loop goes on at once the rule matched, or -1 for the next rule: the first rule after its
    /// <c>skipAfter</c> marker (or after the last rule with that id; the end of the phase when the phase has no such
    /// marker), or the rule <c>skip:N</c> lands on. Resolved once here, not per match: CRS's paranoia gates jump on
    /// nearly every request.
    /// </summary>
    public int[] AfterMatch { get; }

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

    /// <summary>
    /// The program a transaction runs once its setup is complete (<see cref="Transactions.Transaction.SetupComplete"/>):
    /// the rules from the setup's end (phase 1) or all of them (the other phases), less the gates that never match then.
    /// CRS has ~75 such gates on a request's path (<c>TX:DETECTION_PARANOIA_LEVEL "@lt 1"</c> in every file and phase);
    /// passing over each still read its rule, a wait on memory in a gateway, where the rule set is out of the caches
    /// by the time a request comes. Null when nothing was folded, or when a jump would leave the settled rules.
    /// </summary>
    public PhaseProgram? Settled { get; private set; }

    /// <summary>Builds <see cref="Settled"/> from the rules at <paramref name="from"/> on, once the gates are folded.</summary>
    public void Settle(int from)
    {
        if (from < 0 || AfterMatch.Skip(from).Any(target => target >= 0 && target < from))
        {
            return;
        }
        // The settled index of each rule from `from` on (of the next one kept, for a dropped gate), and of the end.
        var kept = new List<int>();
        var index = new int[Rules.Length - from + 1];
        for (var i = from; i < Rules.Length; i++)
        {
            index[i - from] = kept.Count;
            if (Rules[i].Gate is not { Matches: false })
            {
                kept.Add(i);
            }
        }
        index[^1] = kept.Count;
        var afterMatch = kept.Select(i => AfterMatch[i] < 0 ? -1 : index[AfterMatch[i] - from]).ToArray();
        Settled = new PhaseProgram([.. kept.Select(i => Rules[i])], afterMatch);
    }

    private static int AfterMatchOf(Rule rule, int index, int count, IReadOnlyDictionary<string, int> markers) => rule switch
    {
        { SkipAfter: { } marker } => markers.TryGetValue(marker, out var target) ? target : count,
        { Skip: > 0 } => Math.Min(index + rule.Skip + 1, count),
        _ => -1,
    };
}
