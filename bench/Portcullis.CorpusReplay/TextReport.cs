using System.Globalization;

namespace Portcullis.CorpusReplay;

/// <summary>The human-readable report: one block per target, then one per comparison.</summary>
internal static class TextReport
{
    public static void Write(TextWriter w, int entries, double seconds, IReadOnlyList<TargetScore> scores, IReadOnlyList<Comparison> comparisons, string outDir)
    {
        w.WriteLine(Inv($"corpus-replay: {entries} entries x {scores.Count} targets in {seconds:F0} s"));
        w.WriteLine("scoring: blocked = 403 or reset/closed without response; rejected = other 4xx; errors = timeout, connect/TLS failure, 5xx.");
        w.WriteLine("         'strict' counts blocked only (corpus README); 'stopped' counts blocked + rejected (never reached the origin).");
        foreach (var s in scores)
        {
            WriteTarget(w, s);
        }

        foreach (var c in comparisons)
        {
            WriteComparison(w, c, outDir);
        }
    }

    private static void WriteTarget(TextWriter w, TargetScore s)
    {
        w.WriteLine();
        w.WriteLine(Inv($"== {s.Name} ({s.Url}): {s.Seconds:F0} s, {(s.Malicious.Entries + s.Benign.Entries) / Math.Max(s.Seconds, 0.001):F0} req/s, {s.Connections} connections"));
        w.WriteLine("   statuses: " + string.Join(' ', s.Statuses.OrderByDescending(p => p.Value).Select(p => Inv($"{p.Key}={p.Value}"))));
        w.WriteLine(Inv($"   TPR strict {Pct(s.Malicious.Strict)}  stopped {Pct(s.Malicious.Stopped)}   mean per-class TPR strict {Pct(s.MeanClassStrict)}  stopped {Pct(s.MeanClassStopped)}"));
        w.WriteLine(Inv($"   FPR strict {Pct(s.Benign.Strict)}  stopped {Pct(s.Benign.Stopped)}   hard FPR strict {Pct(s.Hard.Strict)}  stopped {Pct(s.Hard.Stopped)} (n={s.Hard.Entries})"));
        w.WriteLine(Inv($"   balanced accuracy strict {Pct(s.BalancedStrict)}  stopped {Pct(s.BalancedStopped)}"));
        Table(w, "class (TPR)", s.Classes.Prepend(new("ALL malicious", s.Malicious)));
        Table(w, "benign file (FPR)", s.BenignFiles.Prepend(new("ALL benign", s.Benign)));
        Table(w, "benign subclass (FPR)", s.BenignSubclasses.Append(new("tags: hard", s.Hard)));
    }

    private static void Table(TextWriter w, string title, IEnumerable<KeyValuePair<string, Tally>> rows)
    {
        w.WriteLine(Inv($"   {title,-30} {"n",6} {"blocked",7} {"rej",5} {"err",4} {"strict",7} {"stopped",7}"));
        foreach (var (name, t) in rows)
        {
            w.WriteLine(Inv($"   {name,-30} {t.Entries,6} {t.Blocked,7} {t.Rejected,5} {t.Errors,4} {Pct(t.Strict),7} {Pct(t.Stopped),7}"));
        }
    }

    private static void WriteComparison(TextWriter w, Comparison c, string outDir)
    {
        w.WriteLine();
        w.WriteLine(Inv($"== agreement {c.Label}: {c.Ours} vs {c.Theirs}: {Pct(c.Agreement)} same verdict (stopped/passed), {Pct(c.ExactAgreement)} same exact verdict, over {c.Compared} entries ({c.ErrorsExcluded} left out for errors)"));
        w.WriteLine(Inv($"   {"class",-34} {"n",6} {"ours-only",9} {"theirs-only",11}   (ours-only: {c.Ours} stopped, {c.Theirs} passed)"));
        foreach (var (name, (n, oursOnly, theirsOnly)) in c.Groups.Where(g => g.Value.OursOnly + g.Value.TheirsOnly > 0)
            .OrderByDescending(g => g.Value.OursOnly + g.Value.TheirsOnly))
        {
            w.WriteLine(Inv($"   {name,-34} {n,6} {oursOnly,9} {theirsOnly,11}"));
        }

        w.WriteLine($"   disagreement list: {Path.Combine(outDir, $"disagreements-{c.Label}.tsv")}");
    }

    private static string Pct(double rate) => (rate * 100).ToString("F1", CultureInfo.InvariantCulture) + "%";

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
