using System.Globalization;

namespace Portcullis.Waf.Tests.BuiltIn;

/// <summary>Detection and false-positive rates over corpus outcomes (definitions: shared/attacks/README.md "Scoring").</summary>
internal sealed class CorpusReport(IReadOnlyList<CorpusOutcome> outcomes)
{
    private static readonly string[] CoreClasses = ["sqli", "xss", "path_traversal", "lfi", "cmdi"];

    public IEnumerable<CorpusOutcome> Malicious => outcomes.Where(o => o.Entry.Malicious);

    /// <summary>Benign entries not tagged hard (the FPR the rules are held to).</summary>
    public IEnumerable<CorpusOutcome> Benign => outcomes.Where(o => !o.Entry.Malicious && !o.Entry.Hard);

    public IEnumerable<CorpusOutcome> Hard => outcomes.Where(o => !o.Entry.Malicious && o.Entry.Hard);

    public double OverallDetection => Rate(Malicious);

    public double ClassDetection(string cls) => Rate(Malicious.Where(o => o.Entry.Class == cls));

    public double CoreDetection => Rate(Malicious.Where(o => CoreClasses.Contains(o.Entry.Class)));

    public double MeanClassDetection => Malicious.GroupBy(o => o.Entry.Class).Average(g => Rate(g));

    public double FalsePositives(string file) => Rate(Benign.Where(o => o.File == file));

    public double BenignFalsePositives => Rate(Benign);

    public double HardFalsePositives => Rate(Hard);

    public IEnumerable<string> Lines()
    {
        foreach (var group in Malicious.GroupBy(o => o.Entry.Class).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            yield return Row($"detect {group.Key}", group);
        }
        yield return Row("detect ALL malicious", Malicious);
        yield return string.Create(CultureInfo.InvariantCulture, $"detect mean of per-class rates: {MeanClassDetection:P2}");
        yield return Row("detect core (sqli+xss+path_traversal+lfi+cmdi)", Malicious.Where(o => CoreClasses.Contains(o.Entry.Class)));
        foreach (var group in Benign.GroupBy(o => o.File).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            yield return Row($"FP {group.Key} (not hard)", group);
        }
        yield return Row("FP all benign (not hard)", Benign);
        yield return Row("FP hard", Hard);
        foreach (var group in outcomes.Where(o => !o.Entry.Malicious).GroupBy(o => o.Entry.Subclass ?? "-").OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            yield return Row($"  FP subclass {group.Key}", group);
        }
        yield return "benign blocks by rule: " + string.Join(", ", RuleCounts(outcomes.Where(o => !o.Entry.Malicious && o.Blocked)));
        yield return "benign 400s (prelude body checks): " + outcomes.Count(o => !o.Entry.Malicious && o.BlockStatus == 400);
        yield return "balanced accuracy: " + ((OverallDetection + 1 - BenignFalsePositives) / 2).ToString("P2", CultureInfo.InvariantCulture);
    }

    /// <summary>Every miss and false positive with the rules that matched, for working on the rules.</summary>
    public IEnumerable<string> Detail()
    {
        foreach (var o in outcomes.Where(o => o.Entry.Malicious != o.Blocked).OrderBy(o => o.Entry.Id, StringComparer.Ordinal))
        {
            var kind = o.Entry.Malicious ? "MISS" : o.Entry.Hard ? "FP-HARD" : "FP";
            var payload = o.Entry.Payload.Length > 300 ? o.Entry.Payload[..300] : o.Entry.Payload;
            yield return $"{kind} {o.Entry.Id} [{o.Entry.Placement}/{o.Entry.Encode}/{o.Entry.Param}] rules={string.Join(',', o.RuleIds)} {payload.ReplaceLineEndings("\\n")}";
            foreach (var m in o.Matches.Where(m => !m.StartsWith("219", StringComparison.Ordinal)))
            {
                yield return "    " + m.ReplaceLineEndings("\\n");
            }
        }
    }

    private static IEnumerable<string> RuleCounts(IEnumerable<CorpusOutcome> blocked) =>
        blocked.SelectMany(o => o.RuleIds.Where(id => id < 219000))
            .GroupBy(id => id).OrderByDescending(g => g.Count()).Take(25).Select(g => $"{g.Key}×{g.Count()}");

    private static double Rate(IEnumerable<CorpusOutcome> items)
    {
        var list = items as ICollection<CorpusOutcome> ?? [.. items];
        return list.Count == 0 ? 0 : (double)list.Count(o => o.Blocked) / list.Count;
    }

    private static string Row(string label, IEnumerable<CorpusOutcome> items)
    {
        var list = items.ToList();
        var blocked = list.Count(o => o.Blocked);
        return string.Create(CultureInfo.InvariantCulture, $"{label}: {blocked}/{list.Count} = {(list.Count == 0 ? 0 : (double)blocked / list.Count):P2}");
    }
}
