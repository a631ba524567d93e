using System.Globalization;
using System.Text;

namespace Portcullis.CorpusReplay;

/// <summary>
/// Prepares a <c>raw_request</c> entry as the corpus README allows: the target's name in <c>Host</c> and a
/// <c>Content-Length</c> that matches the body's UTF-8 bytes; every other byte is kept. Only the placeholder host
/// <c>target.example</c> is replaced where it appears (so a duplicate-Host attack keeps its <c>evil.example</c>);
/// a request without it (the recorded browser traffic) gets its first Host replaced. A chunked request keeps its
/// framing untouched.
/// </summary>
internal static class RawRequestRewriter
{
    private const string Placeholder = "target.example";

    public static string Rewrite(string raw, string host)
    {
        var split = raw.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (split < 0)
        {
            return raw; // not a complete head: send as written, the server's answer is the result
        }

        var lines = raw[..split].Split("\r\n").ToList();
        var body = raw[(split + 4)..];
        var hosts = Enumerable.Range(1, lines.Count - 1).Where(i => IsHeader(lines[i], "Host")).ToList();
        var placeholders = hosts.Where(i => Value(lines[i]).Equals(Placeholder, StringComparison.OrdinalIgnoreCase)).ToList();
        foreach (var i in placeholders.Count > 0 ? placeholders : hosts.Take(1))
        {
            lines[i] = $"{Name(lines[i])}: {host}";
        }

        if (!lines.Skip(1).Any(l => IsHeader(l, "Transfer-Encoding")))
        {
            var length = Encoding.UTF8.GetByteCount(body).ToString(CultureInfo.InvariantCulture);
            var at = lines.FindIndex(1, l => IsHeader(l, "Content-Length"));
            if (at > 0)
            {
                lines[at] = $"{Name(lines[at])}: {length}";
            }
            else if (body.Length > 0)
            {
                lines.Add($"Content-Length: {length}");
            }
        }

        return string.Join("\r\n", lines) + "\r\n\r\n" + body;
    }

    private static bool IsHeader(string line, string name) =>
        line.Length > name.Length && line[name.Length] == ':' && line.StartsWith(name, StringComparison.OrdinalIgnoreCase);

    private static string Name(string line) => line[..line.IndexOf(':', StringComparison.Ordinal)];

    private static string Value(string line) => line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
}
