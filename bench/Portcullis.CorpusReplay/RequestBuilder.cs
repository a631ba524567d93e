using System.Globalization;
using System.Text;

namespace Portcullis.CorpusReplay;

/// <summary>
/// Builds the HTTP/1.1 request for an entry exactly as the corpus README's placements say. Requests are written as
/// bytes on a socket, never through an HTTP client, so nothing normalises <c>..</c>, re-encodes the target or
/// rewrites headers. Text is sent as UTF-8 (the corpus files are UTF-8 JSON).
/// </summary>
internal static class RequestBuilder
{
    // A browser-like User-Agent and Accept on every built request: without them CRS PL2 adds 920300/920320
    // (missing Accept / User-Agent) to every entry, which would measure the harness rather than the payloads.
    private const string UserAgent = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
    private const string Accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
    private const string MultipartBoundary = "----CorpusReplayBoundary4f7a2c9e1b";

    public static BuiltRequest Build(CorpusEntry entry, string host)
    {
        if (entry.Placement == "raw_request")
        {
            var smuggling = entry.Subclass == "request_smuggling";
            // Conflicting lengths are the attack: byte for byte, Host included.
            var text = smuggling ? entry.Payload : RawRequestRewriter.Rewrite(entry.Payload, host);
            var space = text.IndexOf(' ', StringComparison.Ordinal);
            return new BuiltRequest(Encoding.UTF8.GetBytes(text), space > 0 ? text[..space] : "GET", smuggling);
        }

        var path = entry.Path ?? "/";
        var headers = new List<(string Name, string Value)>();
        string? body = null;
        string? contentType = null;
        var target = path;
        switch (entry.Placement)
        {
            case "query":
                target = $"{path}?{Param(entry)}={PercentEncoder.Encode(entry.Payload, entry.Encode)}";
                break;
            case "path":
                target = "/" + PercentEncoder.Encode(entry.Payload, entry.Encode, keepSlash: true);
                break;
            case "cookie":
                headers.Add(("Cookie", $"{Param(entry)}={PercentEncoder.Encode(entry.Payload, entry.Encode)}"));
                break;
            case "header":
                headers.Add((Param(entry), entry.Payload));
                break;
            case "user_agent":
                headers.Add(("User-Agent", entry.Payload));
                break;
            case "form":
                (contentType, body) = ("application/x-www-form-urlencoded", $"{Param(entry)}={PercentEncoder.Encode(entry.Payload, entry.Encode)}");
                break;
            case "json":
                (contentType, body) = ("application/json", $"{{{JsonString.Quote(Param(entry))}: {JsonString.Quote(entry.Payload)}}}");
                break;
            case "multipart":
                (contentType, body) = ($"multipart/form-data; boundary={MultipartBoundary}", MultipartBody(entry));
                break;
            case "form_document":
                (contentType, body) = ("application/x-www-form-urlencoded", entry.Payload);
                break;
            case "json_document":
                (contentType, body) = ("application/json", entry.Payload);
                break;
            case "xml_document":
                (contentType, body) = ("application/xml", entry.Payload);
                break;
            case "multipart_document":
                var boundary = entry.Boundary ?? throw new InvalidDataException($"{entry.Id}: multipart_document without boundary");
                (contentType, body) = ($"multipart/form-data; boundary={boundary}", entry.Payload);
                break;
            default:
                throw new InvalidDataException($"{entry.Id}: unknown placement '{entry.Placement}'");
        }

        var method = entry.Method ?? (body is null ? "GET" : "POST");
        var bodyBytes = body is null ? [] : Encoding.UTF8.GetBytes(body);
        var head = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"{method} {target} HTTP/1.1\r\n")
            .Append(CultureInfo.InvariantCulture, $"Host: {host}\r\n");
        AppendDefault(head, headers, "User-Agent", UserAgent);
        AppendDefault(head, headers, "Accept", Accept);
        foreach (var (name, value) in headers)
        {
            head.Append(CultureInfo.InvariantCulture, $"{name}: {value}\r\n");
        }

        if (contentType is not null)
        {
            head.Append(CultureInfo.InvariantCulture, $"Content-Type: {contentType}\r\n")
                .Append(CultureInfo.InvariantCulture, $"Content-Length: {bodyBytes.Length}\r\n");
        }

        head.Append("\r\n");
        return new BuiltRequest([.. Encoding.UTF8.GetBytes(head.ToString()), .. bodyBytes], method, Isolated: false);
    }

    private static string Param(CorpusEntry entry) =>
        entry.Param ?? throw new InvalidDataException($"{entry.Id}: placement '{entry.Placement}' without param");

    private static string MultipartBody(CorpusEntry entry)
    {
        if (entry.Payload.Contains(MultipartBoundary, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{entry.Id}: payload contains the multipart boundary");
        }

        return $"--{MultipartBoundary}\r\nContent-Disposition: form-data; name=\"{Param(entry)}\"\r\n\r\n{entry.Payload}\r\n--{MultipartBoundary}--\r\n";
    }

    // The entry's own header of that name (header placement, user_agent) replaces the default.
    private static void AppendDefault(StringBuilder head, List<(string Name, string Value)> headers, string name, string value)
    {
        if (!headers.Any(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase)))
        {
            head.Append(CultureInfo.InvariantCulture, $"{name}: {value}\r\n");
        }
    }
}
