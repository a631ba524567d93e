using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Portcullis.Waf.Rules;
using Portcullis.Waf.Transactions;

namespace Portcullis.Waf.Tests.BuiltIn;

/// <summary>
/// A request built from a corpus entry exactly as shared/attacks/README.md "Placements" describes, held as the engine
/// sees it: the request line, headers and body as byte strings (one char per byte, Latin-1).
/// </summary>
internal sealed record CorpusRequest(string Method, string Uri, string Protocol, IReadOnlyList<(string Name, string Value)> Headers, byte[] Body)
{
    /// <summary>A browser User-Agent for generated requests, so only user_agent placements put a tool's name there.</summary>
    public const string DefaultUserAgent = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";

    private const string MultipartBoundary = "----PortcullisCorpus7MA4YWxkTrZu0gW";

    private static readonly JsonSerializerOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static CorpusRequest From(CorpusEntry entry)
    {
        var param = entry.Param ?? "q";
        var keepPct = entry.Encode == "keep_pct";
        var payload = Latin1(entry.Payload);
        switch (entry.Placement)
        {
            case "query":
                var path = entry.Path ?? "/";
                var separator = path.Contains('?', StringComparison.Ordinal) ? "&" : "?";
                return Generated(entry.Method ?? "GET", path + separator + Encode(param, keepPct) + "=" + Encode(entry.Payload, keepPct), []);
            case "path":
                return Generated(entry.Method ?? "GET", "/" + Encode(entry.Payload, keepPct, keepSlash: true), []);
            case "cookie":
                return Generated(entry.Method ?? "GET", entry.Path ?? "/", [("Cookie", Encode(param, keepPct) + "=" + Encode(entry.Payload, keepPct))]);
            case "header":
                return Generated(entry.Method ?? "GET", entry.Path ?? "/", [(param, payload)]);
            case "user_agent":
                return Generated(entry.Method ?? "GET", entry.Path ?? "/", [("User-Agent", payload)]);
            case "form":
                return WithBody(entry, "application/x-www-form-urlencoded", Encode(param, keepPct) + "=" + Encode(entry.Payload, keepPct));
            case "json":
                return WithBody(entry, "application/json",
                    "{" + Latin1(JsonSerializer.Serialize(entry.Param ?? "q", JsonOptions)) + ":" + Latin1(JsonSerializer.Serialize(entry.Payload, JsonOptions)) + "}");
            case "multipart":
                return WithBody(entry, "multipart/form-data; boundary=" + MultipartBoundary,
                    $"--{MultipartBoundary}\r\nContent-Disposition: form-data; name=\"{Latin1(param)}\"\r\n\r\n{payload}\r\n--{MultipartBoundary}--\r\n");
            case "form_document":
                return WithBody(entry, "application/x-www-form-urlencoded", payload);
            case "json_document":
                return WithBody(entry, "application/json", payload);
            case "xml_document":
                return WithBody(entry, "application/xml", payload);
            case "multipart_document":
                return WithBody(entry, "multipart/form-data; boundary=" + entry.Boundary, payload);
            case "raw_request":
                return Raw(payload, byteForByte: entry.Subclass == "request_smuggling");
            default:
                throw new ArgumentException($"{entry.Id}: unknown placement '{entry.Placement}'", nameof(entry));
        }
    }

    /// <summary>Feeds the request through the rules phase by phase, as the gateway does, and returns the finished transaction.</summary>
    public Transaction Run(RuleSet rules, string id = "corpus")
    {
        var tx = rules.CreateTransaction(id);
        tx.ProcessConnection("192.0.2.10", 50000, "127.0.0.1", 443);
        tx.ProcessUri(Method, Uri, Protocol);
        foreach (var (name, value) in Headers)
        {
            tx.AddRequestHeader(name, value);
        }
        if (tx.ProcessRequestHeaders() is null)
        {
            if (Body.Length > 0)
            {
                tx.AppendRequestBody(Body);
            }
            tx.ProcessRequestBody();
        }
        tx.ProcessLogging();
        return tx;
    }

    /// <summary>Text as the bytes of its UTF-8 encoding, one char per byte.</summary>
    public static string Latin1(string text) => Encoding.Latin1.GetString(Encoding.UTF8.GetBytes(text));

    /// <summary>
    /// README "encode": every UTF-8 byte but RFC 3986 unreserved ones becomes %XX ("full"); "keep_pct" also keeps '%'
    /// so intentional %XX/%uXXXX sequences reach the server as written; a path keeps its '/'.
    /// </summary>
    public static string Encode(string value, bool keepPct, bool keepSlash = false)
    {
        var sb = new StringBuilder(value.Length * 2);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~' || (c == '%' && keepPct) || (c == '/' && keepSlash))
            {
                sb.Append(c);
            }
            else
            {
                sb.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }
        return sb.ToString();
    }

    private static CorpusRequest Generated(string method, string uri, List<(string Name, string Value)> extra, string? contentType = null, string body = "")
    {
        var headers = new List<(string Name, string Value)> { ("Host", "localhost") };
        if (!extra.Any(h => h.Name.Equals("User-Agent", StringComparison.OrdinalIgnoreCase)))
        {
            headers.Add(("User-Agent", DefaultUserAgent));
        }
        headers.Add(("Accept", "*/*"));
        headers.AddRange(extra);
        if (contentType is not null)
        {
            headers.Add(("Content-Type", contentType));
            headers.Add(("Content-Length", body.Length.ToString(CultureInfo.InvariantCulture)));
        }
        return new CorpusRequest(method, uri, "HTTP/1.1", headers, Encoding.Latin1.GetBytes(body));
    }

    private static CorpusRequest WithBody(CorpusEntry entry, string contentType, string body) =>
        Generated(entry.Method ?? "POST", entry.Path ?? "/", [], contentType, body);

    /// <summary>
    /// A complete HTTP/1.1 request. Content-Length is set to the body actually sent (the README asks the harness to
    /// fix it), except for smuggling requests, whose conflicting lengths are the attack and go byte for byte.
    /// </summary>
    private static CorpusRequest Raw(string raw, bool byteForByte)
    {
        var headEnd = raw.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var head = headEnd < 0 ? raw : raw[..headEnd];
        var body = headEnd < 0 ? "" : raw[(headEnd + 4)..];
        var lines = head.Split("\r\n");
        var requestLine = lines[0].Split(' ');
        var method = requestLine[0];
        var uri = requestLine.Length > 1 ? requestLine[1] : "/";
        var protocol = requestLine.Length > 2 ? string.Join(' ', requestLine[2..]) : "HTTP/0.9";
        var headers = new List<(string Name, string Value)>();
        var chunked = lines.Skip(1).Any(l => l.StartsWith("Transfer-Encoding:", StringComparison.OrdinalIgnoreCase)
            && l.Contains("chunked", StringComparison.OrdinalIgnoreCase));
        if (chunked && !byteForByte)
        {
            // The server de-chunks before the engine sees the body (Kestrel does); no Content-Length to fix then.
            body = Dechunk(body);
        }
        var lengthFixed = chunked;
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue;
            }
            var name = line[..colon];
            var value = line[(colon + 1)..].Trim(' ', '\t');
            if (!byteForByte && name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                if (lengthFixed)
                {
                    continue;
                }
                value = body.Length.ToString(CultureInfo.InvariantCulture);
                lengthFixed = true;
            }
            headers.Add((name, value));
        }
        if (!byteForByte && !lengthFixed && body.Length > 0)
        {
            headers.Add(("Content-Length", body.Length.ToString(CultureInfo.InvariantCulture)));
        }
        return new CorpusRequest(method, uri, protocol, headers, Encoding.Latin1.GetBytes(body));
    }

    /// <summary>RFC 9112 §7.1 chunked body to its data; a malformed chunk ends the data there.</summary>
    private static string Dechunk(string body)
    {
        var data = new StringBuilder();
        var at = 0;
        while (at < body.Length)
        {
            var lineEnd = body.IndexOf("\r\n", at, StringComparison.Ordinal);
            if (lineEnd < 0)
            {
                break;
            }
            var sizeText = body[at..lineEnd].Split(';')[0].Trim();
            if (!int.TryParse(sizeText, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var size) || size <= 0
                || lineEnd + 2 + size > body.Length)
            {
                break;
            }
            data.Append(body, lineEnd + 2, size);
            at = lineEnd + 2 + size + 2;
        }
        return data.ToString();
    }
}
