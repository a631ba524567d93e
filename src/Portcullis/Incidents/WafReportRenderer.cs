using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Portcullis.Incidents;

/// <summary>Prints a <see cref="WafReport"/> for people (text, request data escaped for the terminal) or as JSON.</summary>
internal static class WafReportRenderer
{
    public static string Text(WafReport report)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"WAF report {Time(report.Since)} .. {Time(report.Until)}\n");
        text.Append(CultureInfo.InvariantCulture, $"  incidents        {report.Total}{(report.Truncated ? " (only the newest were read)" : "")}\n");
        text.Append(CultureInfo.InvariantCulture, $"  blocked          {report.Blocked}\n");
        text.Append(CultureInfo.InvariantCulture, $"  would be blocked {report.WouldBlock} (detect mode)\n");
        text.Append(CultureInfo.InvariantCulture, $"  detected only    {report.DetectedOnly} (below the blocking threshold)\n");
        List(text, "Top rules (anomaly-evaluation rules left out)", report.TopRules);
        List(text, "Top paths", report.TopPaths);
        List(text, "Top targets (rule variable)", report.TopTargets);
        if (report.Suggestions.Count > 0)
        {
            text.Append("\nSuggested exclusions for the most frequent (rule, target, path) groups; add only those you judge false positives:\n");
            foreach (var site in report.Suggestions.GroupBy(s => s.Site, StringComparer.Ordinal))
            {
                text.Append(CultureInfo.InvariantCulture, $"\n  site '{Printable.Escape(site.Key)}', under waf:\n");
                text.Append(ExclusionYaml.Render([.. site.Select(s => s.Exclusion)], indent: 4));
            }
        }
        return text.ToString();
    }

    public static string Json(WafReport report)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, IncidentExplainer.Options))
        {
            writer.WriteStartObject();
            writer.WriteString("since", Time(report.Since));
            writer.WriteString("until", Time(report.Until));
            writer.WriteNumber("incidents", report.Total);
            writer.WriteBoolean("truncated", report.Truncated);
            writer.WriteNumber("blocked", report.Blocked);
            writer.WriteNumber("would_block", report.WouldBlock);
            writer.WriteNumber("detected_only", report.DetectedOnly);
            Counts(writer, "top_rules", report.TopRules);
            Counts(writer, "top_paths", report.TopPaths);
            Counts(writer, "top_targets", report.TopTargets);
            writer.WriteStartArray("suggestions");
            foreach (var suggestion in report.Suggestions)
            {
                writer.WriteStartObject();
                writer.WriteString("site", suggestion.Site);
                writer.WriteNumber("incidents", suggestion.Count);
                writer.WritePropertyName("exclusion");
                IncidentExplainer.WriteExclusions(writer, [suggestion.Exclusion]);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static void List(StringBuilder text, string title, IReadOnlyList<ReportCount> counts)
    {
        text.Append('\n').Append(title).Append(":\n");
        if (counts.Count == 0)
        {
            text.Append("  (none)\n");
        }
        foreach (var count in counts)
        {
            text.Append(CultureInfo.InvariantCulture, $"  {count.Count,6}  {Printable.Escape(count.Key)}");
            if (count.Detail is not null)
            {
                text.Append("  ").Append(Printable.Escape(count.Detail));
            }
            text.Append('\n');
        }
    }

    private static void Counts(Utf8JsonWriter writer, string name, IReadOnlyList<ReportCount> counts)
    {
        writer.WriteStartArray(name);
        foreach (var count in counts)
        {
            writer.WriteStartObject();
            writer.WriteString("key", count.Key);
            if (count.Detail is not null)
            {
                writer.WriteString("detail", count.Detail);
            }
            writer.WriteNumber("incidents", count.Count);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
