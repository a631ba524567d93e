using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Portcullis.Incidents;

/// <summary>
/// What <c>portcullis waf explain ID</c> prints: when, which site and client, the request line, the verdict and
/// scores, every match (rule, message, severity, variable, matched data, file:line, tags), the redacted headers and
/// the exclusion that would let the request through. Everything from the request is escaped for the terminal.
/// </summary>
internal static class IncidentExplainer
{
    public static string Text(Incident incident)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Incident {incident.Id}\n");
        Field(text, "when", incident.Timestamp.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff 'UTC'", CultureInfo.InvariantCulture));
        Field(text, "site", incident.Site);
        Field(text, "client", incident.ClientIp);
        Field(text, "request", incident.RequestLine);
        Field(text, "verdict", Verdict(incident));
        Field(text, "scores", incident.Scores.Count == 0 ? "(none recorded)"
            : string.Join(", ", incident.Scores.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Key} {s.Value}"))));
        text.Append(CultureInfo.InvariantCulture, $"\nMatches ({incident.Matches.Count}):\n");
        foreach (var match in incident.Matches)
        {
            text.Append(CultureInfo.InvariantCulture, $"  {match.Id}  {(match.Severity is null ? "" : $"[{match.Severity}] ")}{Printable.Escape(match.Message ?? "(no message)")}\n");
            Detail(text, "variable", match.Variable.Length == 0 ? "(none)" : match.Variable);
            Detail(text, "matched", $"'{match.Value}'");
            if (match.Data is not null)
            {
                Detail(text, "data", match.Data);
            }
            Detail(text, "rule", string.Create(CultureInfo.InvariantCulture, $"{match.File}:{match.Line} (phase {match.Phase})"));
            if (match.Tags.Count > 0)
            {
                Detail(text, "tags", string.Join(", ", match.Tags));
            }
        }
        text.Append(CultureInfo.InvariantCulture, $"\nHeaders ({incident.Headers.Count}, credentials redacted):\n");
        foreach (var (name, value) in incident.Headers)
        {
            text.Append("  ").Append(Printable.Escape(name)).Append(": ").Append(Printable.Escape(value)).Append('\n');
        }
        var suggestions = ExclusionSuggester.Suggest(incident);
        text.Append('\n');
        if (suggestions.Count == 0)
        {
            text.Append("Suggested exclusion: none (only anomaly-evaluation rules matched; nothing narrower to exclude).\n");
        }
        else
        {
            text.Append(CultureInfo.InvariantCulture, $"Suggested exclusion (if this request is legitimate), for site '{Printable.Escape(incident.Site)}' under waf: in the config:\n\n");
            text.Append(ExclusionYaml.Render(suggestions, indent: 2));
        }
        return text.ToString();
    }

    /// <summary>The stored incident plus <c>suggested_exclusions</c> (each entry with its reason and the YAML).</summary>
    public static string Json(Incident incident)
    {
        var suggestions = ExclusionSuggester.Suggest(incident);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("incident");
            IncidentJson.Write(writer, incident);
            writer.WritePropertyName("suggested_exclusions");
            WriteExclusions(writer, suggestions);
            writer.WriteString("suggested_yaml", suggestions.Count == 0 ? "" : ExclusionYaml.Render(suggestions));
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>Indented for people reading it; the relaxed encoder keeps quotes and '&lt;' readable (JSON still escapes controls).</summary>
    public static JsonWriterOptions Options { get; } = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void WriteExclusions(Utf8JsonWriter writer, IEnumerable<SuggestedExclusion> suggestions)
    {
        writer.WriteStartArray();
        foreach (var entry in suggestions)
        {
            writer.WriteStartObject();
            writer.WriteStartArray("rules");
            foreach (var rule in entry.Rules)
            {
                writer.WriteNumberValue(rule);
            }
            writer.WriteEndArray();
            IncidentJson.WriteStrings(writer, "targets", entry.Targets);
            if (entry.Path is not null)
            {
                writer.WriteString("path", entry.Path);
            }
            IncidentJson.WriteStrings(writer, "methods", entry.Methods);
            writer.WriteString("reason", entry.Reason);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }

    private static string Verdict(Incident incident)
    {
        var verdict = incident.Action switch
        {
            "blocked" => $"blocked with {incident.Status}",
            "dropped" => "connection dropped",
            "detected" => incident.WouldBlock ? "detected: would have been blocked in block mode" : "detected: rules matched, below the blocking threshold",
            _ => incident.Action,
        };
        var rule = incident.DecidingRuleId is { } id ? string.Create(CultureInfo.InvariantCulture, $" by rule {id}") : "";
        return $"{verdict}{rule} (mode {incident.Mode})";
    }

    private static void Field(StringBuilder text, string name, string value) =>
        text.Append("  ").Append(name.PadRight(8)).Append(' ').Append(Printable.Escape(value)).Append('\n');

    private static void Detail(StringBuilder text, string name, string value) =>
        text.Append("          ").Append(name.PadRight(9)).Append(Printable.Escape(value)).Append('\n');
}
