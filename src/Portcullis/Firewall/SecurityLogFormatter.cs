using System.Text.Json;
using Portcullis.Observability;

namespace Portcullis.Firewall;

/// <summary>
/// The security log (logs/security.log): one JSON line per request the firewall had something to say about, with the
/// request's access-log fields and every matched rule (id, message, data, severity, tags, variable, matched value,
/// where the rule is written). The access log carries only the verdict and the rule ids.
/// </summary>
internal static class SecurityLogFormatter
{
    /// <summary>Matched values are attacker-controlled; this bounds a log line however large the input was.</summary>
    private const int MaxValueLength = 256;

    public static readonly EventLogFormat Format = new("security.log", static e => e.Waf is not null, Write);

    private static readonly JsonEncodedText Kind = JsonEncodedText.Encode("event.kind");
    private static readonly JsonEncodedText Alert = JsonEncodedText.Encode("alert");
    private static readonly JsonEncodedText Mode = JsonEncodedText.Encode("portcullis.waf.mode");
    private static readonly JsonEncodedText Action = JsonEncodedText.Encode("portcullis.waf.action");
    private static readonly JsonEncodedText RuleId = JsonEncodedText.Encode("portcullis.waf.rule_id");
    private static readonly JsonEncodedText RuleIds = JsonEncodedText.Encode("portcullis.waf.rule_ids");
    private static readonly JsonEncodedText Timeouts = JsonEncodedText.Encode("portcullis.waf.regex_timeouts");
    private static readonly JsonEncodedText Matches = JsonEncodedText.Encode("portcullis.waf.matches");

    public static void Write(Utf8JsonWriter writer, RequestEvent e)
    {
        writer.WriteStartObject();
        AccessLogFormatter.WriteFields(writer, e);
        writer.WriteString(Kind, Alert);
        var waf = e.Waf!;
        writer.WriteStartArray(Matches);
        foreach (var match in waf.Matches)
        {
            writer.WriteStartObject();
            writer.WriteNumber("id", match.Id);
            writer.WriteNumber("phase", (int)match.Phase);
            WriteOptional(writer, "msg", match.Message);
            WriteOptional(writer, "data", match.Data);
            WriteOptional(writer, "severity", match.Severity);
            writer.WriteString("variable", match.VariableName);
            writer.WriteString("value", match.MatchedValue.Length <= MaxValueLength ? match.MatchedValue : match.MatchedValue[..MaxValueLength] + "…");
            if (match.Tags.Count > 0)
            {
                writer.WriteStartArray("tags");
                foreach (var tag in match.Tags)
                {
                    writer.WriteStringValue(tag);
                }
                writer.WriteEndArray();
            }
            writer.WriteString("file", Path.GetFileName(match.File));
            writer.WriteNumber("line", match.Line);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>The verdict and the rule ids, for the access log line of the same request.</summary>
    public static void WriteSummary(Utf8JsonWriter writer, WafVerdict waf)
    {
        writer.WriteString(Mode, waf.Mode);
        writer.WriteString(Action, waf.Action);
        if (waf.RuleId is { } id)
        {
            writer.WriteNumber(RuleId, id);
        }
        writer.WriteStartArray(RuleIds);
        var seen = new HashSet<int>();
        foreach (var match in waf.Matches)
        {
            if (seen.Add(match.Id))
            {
                writer.WriteNumberValue(match.Id);
            }
        }
        writer.WriteEndArray();
        if (waf.RegexTimeouts > 0)
        {
            writer.WriteNumber(Timeouts, waf.RegexTimeouts);
        }
    }

    private static void WriteOptional(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }
}
