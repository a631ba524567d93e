namespace Portcullis.CorpusReplay;

/// <summary>
/// The corpus README's scores for one target: TPR overall and per class, the unweighted mean of the per-class TPRs
/// (class sizes differ by three orders of magnitude), FPR per benign file, per benign subclass and for
/// <c>tags: hard</c>, and balanced accuracy (TPR + TNR) / 2, the open-appsec WAF Comparison Project formula.
/// Every rate is kept twice, strict and stopped (see <see cref="Tally"/>).
/// </summary>
internal sealed class TargetScore
{
    public required string Name { get; init; }

    public required string Url { get; init; }

    public required double Seconds { get; init; }

    public required int Connections { get; init; }

    public Tally Malicious { get; } = new();

    public Tally Benign { get; } = new();

    public Tally Hard { get; } = new();

    public SortedDictionary<string, Tally> Classes { get; } = new(StringComparer.Ordinal);

    public SortedDictionary<string, Tally> BenignFiles { get; } = new(StringComparer.Ordinal);

    public SortedDictionary<string, Tally> BenignSubclasses { get; } = new(StringComparer.Ordinal);

    public SortedDictionary<string, int> Statuses { get; } = new(StringComparer.Ordinal);

    public double MeanClassStrict => Classes.Count == 0 ? 0 : Classes.Values.Average(t => t.Strict);

    public double MeanClassStopped => Classes.Count == 0 ? 0 : Classes.Values.Average(t => t.Stopped);

    public double BalancedStrict => (Malicious.Strict + 1 - Benign.Strict) / 2;

    public double BalancedStopped => (Malicious.Stopped + 1 - Benign.Stopped) / 2;

    public static TargetScore Compute(TargetRunner runner, IReadOnlyList<CorpusEntry> entries, Outcome[] outcomes)
    {
        var score = new TargetScore
        {
            Name = runner.Target.Name,
            Url = runner.Target.Url.ToString(),
            Seconds = runner.Elapsed.TotalSeconds,
            Connections = runner.Connections,
        };
        for (var i = 0; i < entries.Count; i++)
        {
            var (entry, outcome) = (entries[i], outcomes[i]);
            var status = outcome.ToString();
            score.Statuses[status] = score.Statuses.GetValueOrDefault(status) + 1;
            if (entry.Malicious)
            {
                score.Malicious.Add(outcome);
                Group(score.Classes, entry.Class).Add(outcome);
                continue;
            }

            score.Benign.Add(outcome);
            Group(score.BenignFiles, entry.File).Add(outcome);
            Group(score.BenignSubclasses, entry.Subclass ?? "(none)").Add(outcome);
            if (entry.Hard)
            {
                score.Hard.Add(outcome);
            }
        }

        return score;
    }

    private static Tally Group(SortedDictionary<string, Tally> groups, string key)
    {
        if (!groups.TryGetValue(key, out var tally))
        {
            groups[key] = tally = new Tally();
        }

        return tally;
    }
}
