using System.Text.Json;
using System.Xml;

namespace Portcullis.Waf.Tests.Detection.Support;

/// <summary>
/// The values of one request that 942100/941100/941101 inspect, as raw bytes-as-chars before the rules'
/// transformations: argument names and values (query, urlencoded/JSON/multipart body), XML text and attribute
/// values, cookie names and values, User-Agent, Referer and the path.
/// </summary>
internal sealed class InspectedRequest
{
    public List<string> Args { get; } = [];
    public List<string> Xml { get; } = [];
    public List<string> Cookies { get; } = [];
    public string? UserAgent { get; set; }
    public string? Referer { get; set; }
    public string? Path { get; set; }

    /// <summary>942100: cookies and their names, User-Agent, Referer, ARGS_NAMES, ARGS, XML.</summary>
    public IEnumerable<string> SqliTargets() =>
        Cookies.Concat(Args).Concat(Xml).Concat(Optional(UserAgent)).Concat(Optional(Referer)).Select(ModSecTransforms.ForSqli);

    /// <summary>941100: cookies and their names, User-Agent, ARGS_NAMES, ARGS, XML.</summary>
    public IEnumerable<string> XssTargets() =>
        Cookies.Concat(Args).Concat(Xml).Concat(Optional(UserAgent)).Select(ModSecTransforms.ForXss);

    /// <summary>941101 (paranoia level 2): REQUEST_FILENAME and Referer.</summary>
    public IEnumerable<string> XssPathTargets() =>
        Optional(Path).Concat(Optional(Referer)).Select(ModSecTransforms.ForXss);

    private static IEnumerable<string> Optional(string? value) => value is null ? [] : [value];

    public void AddUri(string uri)
    {
        var q = uri.IndexOf('?', StringComparison.Ordinal);
        Path = ModSecTransforms.UrlDecode(q < 0 ? uri : uri[..q]);
        if (q >= 0)
        {
            AddUrlEncoded(uri[(q + 1)..]);
        }
    }

    public void AddUrlEncoded(string encoded)
    {
        foreach (var pair in encoded.Split('&'))
        {
            if (pair.Length == 0)
            {
                continue;
            }
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            Args.Add(ModSecTransforms.UrlDecode(eq < 0 ? pair : pair[..eq]));
            if (eq >= 0)
            {
                Args.Add(ModSecTransforms.UrlDecode(pair[(eq + 1)..]));
            }
        }
    }

    public void AddCookieHeader(string header)
    {
        foreach (var part in header.Split(';'))
        {
            var pair = part.Trim();
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            Cookies.Add(eq < 0 ? pair : pair[..eq]);
            if (eq >= 0)
            {
                Cookies.Add(pair[(eq + 1)..]);
            }
        }
    }

    public void AddHeader(string name, string value)
    {
        if (name.Equals("User-Agent", StringComparison.OrdinalIgnoreCase))
        {
            UserAgent = value;
        }
        else if (name.Equals("Referer", StringComparison.OrdinalIgnoreCase))
        {
            Referer = value;
        }
        else if (name.Equals("Cookie", StringComparison.OrdinalIgnoreCase))
        {
            AddCookieHeader(value);
        }
    }

    /// <summary>Parses a body (text whose chars are bytes) the way the body processor for its type would.</summary>
    public void AddBody(string? contentType, string body)
    {
        var type = contentType?.ToLowerInvariant() ?? "application/x-www-form-urlencoded";
        if (type.Contains("json", StringComparison.Ordinal))
        {
            AddJson(body);
        }
        else if (type.Contains("xml", StringComparison.Ordinal))
        {
            AddXml(body);
        }
        else if (type.StartsWith("multipart/", StringComparison.Ordinal))
        {
            var b = type.IndexOf("boundary=", StringComparison.Ordinal);
            if (b >= 0)
            {
                AddMultipart(body, contentType![(b + 9)..].Trim('"', ' '));
            }
        }
        else if (type.StartsWith("application/x-www-form-urlencoded", StringComparison.Ordinal))
        {
            AddUrlEncoded(body);
        }
    }

    private void AddJson(string bodyBytes)
    {
        try
        {
            using var doc = JsonDocument.Parse(System.Text.Encoding.Latin1.GetBytes(bodyBytes));
            Flatten(doc.RootElement, "json");
        }
        catch (JsonException)
        {
        }
    }

    private void Flatten(JsonElement e, string name)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var p in e.EnumerateObject())
                {
                    Flatten(p.Value, name + "." + ModSecTransforms.Bytes(p.Name));
                }
                break;
            case JsonValueKind.Array:
                foreach (var item in e.EnumerateArray())
                {
                    Flatten(item, name);
                }
                break;
            default:
                Args.Add(name);
                Args.Add(e.ValueKind == JsonValueKind.String ? ModSecTransforms.Bytes(e.GetString()!) : e.GetRawText());
                break;
        }
    }

    private void AddXml(string bodyBytes)
    {
        try
        {
            var doc = new XmlDocument { XmlResolver = null };
            using var reader = XmlReader.Create(new MemoryStream(System.Text.Encoding.Latin1.GetBytes(bodyBytes)),
                new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore, XmlResolver = null });
            doc.Load(reader);
            foreach (XmlNode node in doc.SelectNodes("//text()|//@*")!)
            {
                Xml.Add(ModSecTransforms.Bytes(node.Value ?? string.Empty));
            }
        }
        catch (XmlException)
        {
        }
    }

    private void AddMultipart(string body, string boundary)
    {
        foreach (var part in body.Split("--" + boundary))
        {
            var headerEnd = part.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            var sep = 4;
            if (headerEnd < 0)
            {
                headerEnd = part.IndexOf("\n\n", StringComparison.Ordinal);
                sep = 2;
            }
            if (headerEnd < 0)
            {
                continue;
            }
            var headers = part[..headerEnd];
            var n = headers.IndexOf("name=\"", StringComparison.OrdinalIgnoreCase);
            if (n < 0 || headers.Contains("filename=", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            var nameEnd = headers.IndexOf('"', n + 6);
            Args.Add(headers[(n + 6)..(nameEnd < 0 ? headers.Length : nameEnd)]);
            var value = part[(headerEnd + sep)..];
            Args.Add(value.EndsWith("\r\n", StringComparison.Ordinal) ? value[..^2] : value.TrimEnd('\n'));
        }
    }

    /// <summary>A complete HTTP/1.1 request (chars are bytes).</summary>
    public static InspectedRequest FromRaw(string raw)
    {
        var request = new InspectedRequest();
        var headEnd = raw.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var head = headEnd < 0 ? raw : raw[..headEnd];
        var body = headEnd < 0 ? string.Empty : raw[(headEnd + 4)..];
        var lines = head.Split("\r\n");
        var requestLine = lines[0].Split(' ');
        if (requestLine.Length > 1)
        {
            request.AddUri(requestLine[1]);
        }
        string? contentType = null;
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue;
            }
            var name = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            request.AddHeader(name, value);
            if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                contentType = value;
            }
        }
        if (body.Length > 0 && contentType is not null)
        {
            request.AddBody(contentType, body);
        }
        return request;
    }
}
