using System.Text;
using System.Text.Json;

namespace Portcullis.Waf.Tests.Detection.Support;

/// <summary>One entry of ../shared/attacks (format: shared/attacks/README.md).</summary>
internal sealed record AttackRecord(string Id, bool Malicious, string Payload, string Placement, string? Param,
    string? Encode, string? Boundary, bool Hard)
{
    /// <summary>The request the placement describes, reduced to the values the detection rules inspect.</summary>
    public InspectedRequest ToRequest()
    {
        var request = new InspectedRequest();
        var param = Param ?? "q";
        var bytes = ModSecTransforms.Bytes(Payload);
        switch (Placement)
        {
            case "query" or "form":
                request.AddUrlEncoded(Encoded(param) + "=" + Encoded(Payload));
                break;
            case "cookie":
                request.AddCookieHeader(param + "=" + Encoded(Payload));
                break;
            case "json":
                request.AddBody("application/json", ModSecTransforms.Bytes(JsonSerializer.Serialize(new Dictionary<string, string> { [param] = Payload })));
                break;
            case "multipart":
                request.Args.Add(param);
                request.Args.Add(bytes);
                break;
            case "header":
                request.AddHeader(param, bytes);
                break;
            case "user_agent":
                request.UserAgent = bytes;
                break;
            case "path":
                request.Path = ModSecTransforms.UrlDecode("/" + Encoded(Payload, keepSlash: true));
                break;
            case "form_document":
                request.AddBody("application/x-www-form-urlencoded", bytes);
                break;
            case "json_document":
                request.AddBody("application/json", bytes);
                break;
            case "xml_document":
                request.AddBody("application/xml", bytes);
                break;
            case "multipart_document":
                request.AddBody("multipart/form-data; boundary=" + Boundary, bytes);
                break;
            case "raw_request":
                return InspectedRequest.FromRaw(bytes);
        }
        return request;
    }

    /// <summary>The payload as the application receives it (bytes): keep_pct payloads decoded once by the parser.</summary>
    public string PayloadValue()
    {
        var bytes = ModSecTransforms.Bytes(Payload);
        return Encode == "keep_pct" ? ModSecTransforms.UrlDecode(bytes) : bytes;
    }

    /// <summary>Percent-encodes the UTF-8 bytes as the README says: all but RFC 3986 unreserved; keep_pct keeps '%'.</summary>
    private string Encoded(string value, bool keepSlash = false)
    {
        var sb = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~' || (c == '%' && Encode == "keep_pct") || (c == '/' && keepSlash))
            {
                sb.Append(c);
            }
            else
            {
                sb.Append('%').Append(b.ToString("X2"));
            }
        }
        return sb.ToString();
    }
}

internal static class AttackCorpus
{
    public static string Directory()
    {
        var shared = System.IO.Path.GetDirectoryName(CrsDirectoryLocator.Find())!;
        return System.IO.Path.Combine(shared, "attacks");
    }

    public static IEnumerable<AttackRecord> Read(string file)
    {
        foreach (var line in File.ReadLines(System.IO.Path.Combine(Directory(), file)))
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }
            using var doc = JsonDocument.Parse(line);
            var r = doc.RootElement;
            string? Str(string name) => r.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            var hard = r.TryGetProperty("tags", out var tags) && tags.ValueKind == JsonValueKind.Array
                && tags.EnumerateArray().Any(t => t.GetString() == "hard");
            yield return new AttackRecord(Str("id")!, r.GetProperty("malicious").GetBoolean(), Str("payload") ?? string.Empty,
                Str("placement")!, Str("param"), Str("encode"), Str("boundary"), hard);
        }
    }
}
