using Portcullis.Waf.Rules;

namespace Portcullis.Waf.Tests.BuiltIn;

/// <summary>What the rules did with one corpus entry: blocked or not, and which rules matched.</summary>
internal sealed record CorpusOutcome(string File, CorpusEntry Entry, bool Blocked, int BlockStatus, int[] RuleIds, string[] Matches)
{
    /// <summary>Runs every entry of every ../shared/attacks/*.jsonl file through <paramref name="rules"/>, in parallel
    /// (a rule set is shared by concurrent transactions, as in the gateway).</summary>
    public static List<CorpusOutcome> RunAll(RuleSet rules) =>
        [.. CorpusEntry.Files()
            .SelectMany(file => CorpusEntry.Read(file).Select(entry => (file, entry)))
            .AsParallel()
            .Select(item => Run(rules, item.file, item.entry))];

    /// <summary>
    /// Runs one entry. Regex time limits are wall-clock, so on a machine shared with other work a match can run out
    /// of time (counted as no match) or a key-selector regex can throw; such a run is repeated, up to three times.
    /// </summary>
    public static CorpusOutcome Run(RuleSet rules, string file, CorpusEntry entry)
    {
        var request = CorpusRequest.From(entry);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var tx = request.Run(rules, entry.Id);
                if (tx.RegexTimeouts == 0 || attempt == MaxAttempts)
                {
                    return new CorpusOutcome(file, entry, tx.Interruption is not null, tx.Interruption?.Status ?? 0,
                        [.. tx.MatchedRules.Select(m => m.Id).Distinct()],
                        [.. tx.MatchedRules.Select(m => $"{m.Id}@{m.VariableName}={Shorten(m.MatchedValue)}")]);
                }
            }
            catch (System.Text.RegularExpressions.RegexMatchTimeoutException) when (attempt < MaxAttempts)
            {
            }
        }
    }

    private const int MaxAttempts = 3;

    private static string Shorten(string value) => value.Length > 80 ? value[..80] : value;
}
