using System.Text.Json;

namespace Portcullis.CorpusReplay;

/// <summary>The same numbers as <see cref="TextReport"/>, as JSON (rates are fractions, not percentages).</summary>
internal static class JsonReport
{
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
    };

    public static string Write(int entries, double seconds, IReadOnlyList<TargetScore> scores, IReadOnlyList<Comparison> comparisons, string outDir) =>
        JsonSerializer.Serialize(new
        {
            Entries = entries,
            Seconds = Math.Round(seconds, 1),
            Scoring = "strict: 403 or reset/closed without response; stopped: strict + other 4xx; errors (timeouts, connect/TLS failures, 5xx) count as not blocked",
            Targets = scores.Select(s => new
            {
                s.Name,
                s.Url,
                Seconds = Math.Round(s.Seconds, 1),
                s.Connections,
                s.Statuses,
                Malicious = Counts(s.Malicious),
                MeanClassTprStrict = s.MeanClassStrict,
                MeanClassTprStopped = s.MeanClassStopped,
                Benign = Counts(s.Benign),
                Hard = Counts(s.Hard),
                BalancedAccuracyStrict = s.BalancedStrict,
                BalancedAccuracyStopped = s.BalancedStopped,
                Classes = s.Classes.ToDictionary(p => p.Key, p => Counts(p.Value)),
                BenignFiles = s.BenignFiles.ToDictionary(p => p.Key, p => Counts(p.Value)),
                BenignSubclasses = s.BenignSubclasses.ToDictionary(p => p.Key, p => Counts(p.Value)),
            }),
            Comparisons = comparisons.Select(c => new
            {
                c.Label,
                c.Ours,
                c.Theirs,
                c.Compared,
                c.ErrorsExcluded,
                c.Agreement,
                c.ExactAgreement,
                Groups = c.Groups.ToDictionary(g => g.Key, g => new { g.Value.Entries, g.Value.OursOnly, g.Value.TheirsOnly }),
                File = Path.Combine(outDir, $"disagreements-{c.Label}.tsv"),
            }),
        }, Options);

    private static object Counts(Tally t) => new { t.Entries, t.Blocked, t.Rejected, t.Errors, RateStrict = t.Strict, RateStopped = t.Stopped };
}
