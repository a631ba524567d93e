using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Portcullis.CrsTest;

/// <summary>
/// albedo's <c>POST /reflect</c> (<c>server.handleReflect</c>): the request body is a JSON specification
/// <c>{"status": N, "headers": {..}, "body": "..", "encodedBody": "base64", "logMessage": ".."}</c> of the response.
/// Reproduced details:
/// <list type="bullet">
/// <item>Keys match case-insensitively, unknown keys are ignored, a repeated key's last value wins, null means
/// absent (Go's <c>encoding/json</c>); a value of the wrong type or invalid JSON is 400 "Invalid JSON in request body".</item>
/// <item>Headers are added before the status is checked, so a 400 "Invalid status code: N" still carries them.</item>
/// <item>Status 0 means 200; outside [100, 599] is 400.</item>
/// <item><c>body</c> wins over <c>encodedBody</c>; invalid base64 keeps the status already chosen and answers
/// "invalid base64 encoding of response body".</item>
/// <item>Without a Content-Type header, a non-empty body gets Go's sniffed type (<see cref="GoContentSniffer"/>).</item>
/// </list>
/// </summary>
internal static class AlbedoReflection
{
    public static AlbedoReply Reply(ReadOnlySpan<byte> requestBody)
    {
        if (!TryParse(requestBody, out var spec))
        {
            return Text(400, [], "Invalid JSON in request body");
        }
        var headers = spec.Headers.Select(h => KeyValuePair.Create(GoHeaderKey.Canonical(h.Key), h.Value)).ToList();
        if (spec.Status is (> 0 and < 100) or >= 600 or < 0)
        {
            return Text(400, headers, string.Create(CultureInfo.InvariantCulture, $"Invalid status code: {spec.Status}"));
        }
        var status = spec.Status == 0 ? 200 : spec.Status;
        byte[] body;
        if (!string.IsNullOrEmpty(spec.Body))
        {
            body = Encoding.UTF8.GetBytes(spec.Body);
        }
        else if (string.IsNullOrEmpty(spec.EncodedBody))
        {
            body = [];
        }
        else if (!TryDecodeBase64(spec.EncodedBody, out body))
        {
            return Text(status, headers, "invalid base64 encoding of response body");
        }
        return WithSniffedType(new AlbedoReply(status, headers, body));
    }

    private static AlbedoReply Text(int status, List<KeyValuePair<string, string>> headers, string text) =>
        WithSniffedType(new AlbedoReply(status, headers, Encoding.UTF8.GetBytes(text)));

    /// <summary>Go's server: a body written without a Content-Type gets the sniffed one (if the status allows a body).</summary>
    private static AlbedoReply WithSniffedType(AlbedoReply reply)
    {
        if (reply.Body.Length == 0 || !AllowsBody(reply.Status)
            || reply.Headers.Any(h => h.Key.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)))
        {
            return reply;
        }
        return reply with { Headers = [.. reply.Headers, KeyValuePair.Create("Content-Type", GoContentSniffer.Detect(reply.Body))] };
    }

    public static bool AllowsBody(int status) => status >= 200 && status != 204 && status != 304;

    private static bool TryParse(ReadOnlySpan<byte> json, out Spec spec)
    {
        spec = new Spec();
        try
        {
            // Go's decoder replaces invalid UTF-8 with U+FFFD instead of failing; decoding leniently first does the same.
            using var document = JsonDocument.Parse(new UTF8Encoding(false, false).GetString(json));
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return document.RootElement.ValueKind == JsonValueKind.Null;
            }
            foreach (var property in document.RootElement.EnumerateObject())
            {
                var value = property.Value;
                if (value.ValueKind == JsonValueKind.Null)
                {
                    continue;
                }
                switch (property.Name.ToUpperInvariant())
                {
                    case "STATUS":
                        if (value.ValueKind != JsonValueKind.Number || !int.TryParse(value.GetRawText(), NumberStyles.AllowLeadingSign,
                                CultureInfo.InvariantCulture, out var status))
                        {
                            return false;
                        }
                        spec.Status = status;
                        break;
                    case "HEADERS":
                        if (value.ValueKind != JsonValueKind.Object)
                        {
                            return false;
                        }
                        spec.Headers.Clear();
                        foreach (var header in value.EnumerateObject())
                        {
                            if (header.Value.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
                            {
                                return false;
                            }
                            spec.Headers[header.Name] = header.Value.GetString() ?? "";
                        }
                        break;
                    case "BODY":
                    case "ENCODEDBODY":
                    case "LOGMESSAGE":
                        if (value.ValueKind != JsonValueKind.String)
                        {
                            return false;
                        }
                        spec.Set(property.Name.ToUpperInvariant(), value.GetString()!);
                        break;
                }
            }
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Go's base64.StdEncoding through a decoder: CR and LF are skipped, padding is required.</summary>
    private static bool TryDecodeBase64(string text, out byte[] bytes)
    {
        var compact = text.Replace("\r", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal);
        var buffer = new byte[compact.Length];
        if (compact.AsSpan().ContainsAny(" \t") || !Convert.TryFromBase64String(compact, buffer, out var written))
        {
            bytes = [];
            return false;
        }
        bytes = buffer[..written];
        return true;
    }

    private sealed class Spec
    {
        public int Status { get; set; }

        public Dictionary<string, string> Headers { get; } = new(StringComparer.Ordinal);

        public string? Body { get; private set; }

        public string? EncodedBody { get; private set; }

        public void Set(string upperName, string value)
        {
            if (upperName == "BODY")
            {
                Body = value;
            }
            else if (upperName == "ENCODEDBODY")
            {
                EncodedBody = value;
            }
            // logMessage only goes to albedo's own log.
        }
    }
}
