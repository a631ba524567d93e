using System.Globalization;
using System.Text;

namespace Portcullis.CorpusReplay;

/// <summary>
/// Agreement between our gateway and ModSecurity at one paranoia level: the share of entries that got the same
/// verdict (stopped or passed; entries where either side had an error are left out and counted), the share with the
/// same exact verdict (passed, blocked or rejected), and where they differ, by class (benign entries by subclass).
/// </summary>
internal sealed class Comparison
{
    public required string Label { get; init; }

    public required string Ours { get; init; }

    public required string Theirs { get; init; }

    public int Compared { get; private set; }

    public int Agree { get; private set; }

    public int ExactAgree { get; private set; }

    public int ErrorsExcluded { get; private set; }

    public double Agreement => Compared == 0 ? 0 : (double)Agree / Compared;

    public double ExactAgreement => Compared == 0 ? 0 : (double)ExactAgree / Compared;

    /// <summary>Per group: (entries compared, ours stopped while theirs passed, theirs stopped while ours passed).</summary>
    public SortedDictionary<string, (int Entries, int OursOnly, int TheirsOnly)> Groups { get; } = new(StringComparer.Ordinal);

    public List<string> Rows { get; } = [];

    public static Comparison Compute(string label, string ours, string theirs, IReadOnlyList<CorpusEntry> entries, Outcome[] our, Outcome[] their)
    {
        var comparison = new Comparison { Label = label, Ours = ours, Theirs = theirs };
        for (var i = 0; i < entries.Count; i++)
        {
            var (entry, a, b) = (entries[i], our[i], their[i]);
            if (a.Verdict == Verdict.Error || b.Verdict == Verdict.Error)
            {
                comparison.ErrorsExcluded++;
                comparison.Rows.Add(Row(label, "error", entry, a, b));
                continue;
            }

            comparison.Compared++;
            var key = entry.Malicious ? entry.Class : "benign/" + (entry.Subclass ?? entry.File);
            var (n, oursOnly, theirsOnly) = comparison.Groups.GetValueOrDefault(key);
            if (a.Stopped == b.Stopped)
            {
                comparison.Agree++;
                comparison.ExactAgree += a.Verdict == b.Verdict ? 1 : 0;
                comparison.Groups[key] = (n + 1, oursOnly, theirsOnly);
                continue;
            }

            comparison.Groups[key] = a.Stopped ? (n + 1, oursOnly + 1, theirsOnly) : (n + 1, oursOnly, theirsOnly + 1);
            comparison.Rows.Add(Row(label, a.Stopped ? "ours-stopped" : "theirs-stopped", entry, a, b));
        }

        return comparison;
    }

    public const string Header = "level\tkind\tid\tmalicious\tclass\tsubclass\tplacement\tours\ttheirs\tpayload_head";

    private static string Row(string label, string kind, CorpusEntry entry, Outcome ours, Outcome theirs) =>
        string.Join('\t', label, kind, entry.Id, entry.Malicious ? "1" : "0", entry.Class, entry.Subclass ?? "", entry.Placement,
            ours.ToString(), theirs.ToString(), Head(entry.Payload, 100));

    /// <summary>The first characters of a payload on one printable line (control characters as <c>\xHH</c>).</summary>
    public static string Head(string payload, int length)
    {
        var text = new StringBuilder();
        foreach (var c in payload.Take(length))
        {
            _ = c switch
            {
                '\r' => text.Append("\\r"),
                '\n' => text.Append("\\n"),
                '\t' => text.Append("\\t"),
                '\\' => text.Append("\\\\"),
                < ' ' or '\x7f' => text.Append("\\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture)),
                _ => text.Append(c),
            };
        }

        return payload.Length > length ? text.Append('…').ToString() : text.ToString();
    }
}
