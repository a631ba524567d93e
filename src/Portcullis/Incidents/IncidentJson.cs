using System.Globalization;
using System.Text.Json;

namespace Portcullis.Incidents;

/// <summary>
/// An incident as one JSON object: the store keeps it so (one column, readable with the sqlite3 shell and
/// <c>json_extract</c>) and <c>waf explain --json</c> prints the same shape. Strings hold bytes as chars ≤ 0xFF;
/// JSON carries them as those code points, so they read back unchanged.
/// </summary>
internal static class IncidentJson
{
    public static void Write(Utf8JsonWriter writer, Incident incident)
    {
        writer.WriteStartObject();
        writer.WriteString("id", incident.Id);
        writer.WriteString("timestamp", incident.Timestamp.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        writer.WriteString("site", incident.Site);
        writer.WriteString("client_ip", incident.ClientIp);
        writer.WriteString("method", incident.Method);
        writer.WriteString("path", incident.Path);
        writer.WriteString("query", incident.Query);
        writer.WriteString("protocol", incident.Protocol);
        writer.WriteString("mode", incident.Mode);
        writer.WriteString("action", incident.Action);
        writer.WriteNumber("status", incident.Status);
        if (incident.DecidingRuleId is { } decidingRule)
        {
            writer.WriteNumber("rule_id", decidingRule);
        }
        writer.WriteBoolean("would_block", incident.WouldBlock);
        writer.WriteStartObject("scores");
        foreach (var (name, score) in incident.Scores)
        {
            writer.WriteNumber(name, score);
        }
        writer.WriteEndObject();
        writer.WriteStartArray("headers");
        foreach (var (name, value) in incident.Headers)
        {
            writer.WriteStartArray();
            writer.WriteStringValue(name);
            writer.WriteStringValue(value);
            writer.WriteEndArray();
        }
        writer.WriteEndArray();
        writer.WriteStartArray("matches");
        foreach (var match in incident.Matches)
        {
            WriteMatch(writer, match);
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    public static string Serialize(Incident incident)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, incident);
        }
        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    public static Incident Deserialize(string json)
    {
        using var document = JsonDocument.Parse(json);
        return Read(document.RootElement);
    }

    public static Incident Read(JsonElement e) => new()
    {
        Id = e.GetProperty("id").GetString()!,
        Timestamp = DateTimeOffset.Parse(e.GetProperty("timestamp").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
        Site = e.GetProperty("site").GetString()!,
        ClientIp = e.GetProperty("client_ip").GetString()!,
        Method = e.GetProperty("method").GetString()!,
        Path = e.GetProperty("path").GetString()!,
        Query = e.GetProperty("query").GetString()!,
        Protocol = e.GetProperty("protocol").GetString()!,
        Mode = e.GetProperty("mode").GetString()!,
        Action = e.GetProperty("action").GetString()!,
        Status = e.GetProperty("status").GetInt32(),
        DecidingRuleId = e.TryGetProperty("rule_id", out var rule) ? rule.GetInt32() : null,
        WouldBlock = e.GetProperty("would_block").GetBoolean(),
        Scores = e.GetProperty("scores").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32(), StringComparer.Ordinal),
        Headers = [.. e.GetProperty("headers").EnumerateArray().Select(h => new KeyValuePair<string, string>(h[0].GetString()!, h[1].GetString()!))],
        Matches = [.. e.GetProperty("matches").EnumerateArray().Select(ReadMatch)],
    };

    private static void WriteMatch(Utf8JsonWriter writer, IncidentMatch match)
    {
        writer.WriteStartObject();
        writer.WriteNumber("id", match.Id);
        writer.WriteNumber("phase", match.Phase);
        WriteOptional(writer, "msg", match.Message);
        WriteOptional(writer, "data", match.Data);
        WriteOptional(writer, "severity", match.Severity);
        WriteStrings(writer, "tags", match.Tags);
        writer.WriteString("variable", match.Variable);
        writer.WriteString("value", match.Value);
        writer.WriteString("file", match.File);
        writer.WriteNumber("line", match.Line);
        writer.WriteEndObject();
    }

    private static IncidentMatch ReadMatch(JsonElement m) => new(
        m.GetProperty("id").GetInt32(),
        m.GetProperty("phase").GetInt32(),
        Optional(m, "msg"),
        Optional(m, "data"),
        Optional(m, "severity"),
        [.. m.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!)],
        m.GetProperty("variable").GetString()!,
        m.GetProperty("value").GetString()!,
        m.GetProperty("file").GetString()!,
        m.GetProperty("line").GetInt32());

    public static void WriteStrings(Utf8JsonWriter writer, string name, IReadOnlyList<string> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }
        writer.WriteEndArray();
    }

    private static void WriteOptional(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    private static string? Optional(JsonElement e, string name) =>
        e.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
