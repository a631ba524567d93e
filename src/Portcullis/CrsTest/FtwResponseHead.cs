using System.Globalization;
using System.Text;

namespace Portcullis.CrsTest;

/// <summary>
/// Finds and checks a response head the way Go's <c>http.ReadResponse</c> does (go-ftw reads responses with it):
/// lines end in LF with an optional CR; the status line is <c>HTTP/x.y NNN reason</c> with exactly three status
/// digits; every header line has a colon. Anything else is an error, not a status.
/// </summary>
internal sealed record FtwResponseHead(int Status, long? ContentLength, bool Chunked)
{
    /// <summary>The length of the head including its blank line, or -1 while it is incomplete.</summary>
    public static int FindEnd(ReadOnlySpan<byte> buffer)
    {
        var lineStart = 0;
        for (var i = 0; i < buffer.Length; i++)
        {
            if (buffer[i] != (byte)'\n')
            {
                continue;
            }
            var line = buffer[lineStart..i];
            if (line.Length > 0 && line[^1] == (byte)'\r')
            {
                line = line[..^1];
            }
            if (line.Length == 0 && lineStart > 0)
            {
                return i + 1;
            }
            lineStart = i + 1;
        }
        return -1;
    }

    public static FtwResponseHead? Parse(ReadOnlySpan<byte> head, out string? error)
    {
        var lines = Encoding.Latin1.GetString(head).Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var statusLine = lines[0];
        error = null;
        var space = statusLine.IndexOf(' ', StringComparison.Ordinal);
        if (space < 0)
        {
            error = $"malformed HTTP response \"{statusLine}\"";
            return null;
        }
        var rest = statusLine[(space + 1)..].TrimStart(' ');
        var code = rest.Split(' ', 2)[0];
        if (code.Length != 3 || !int.TryParse(code, NumberStyles.None, CultureInfo.InvariantCulture, out var status))
        {
            error = $"malformed HTTP status code \"{code}\"";
            return null;
        }
        if (!IsHttpVersion(statusLine[..space]))
        {
            error = $"malformed HTTP version \"{statusLine[..space]}\"";
            return null;
        }
        long? contentLength = null;
        var chunked = false;
        foreach (var line in lines.Skip(1).Where(l => l.Length > 0))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                error = $"malformed MIME header line: {line}";
                return null;
            }
            var name = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)
                && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var length))
            {
                contentLength = length;
            }
            else if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase)
                && value.Contains("chunked", StringComparison.OrdinalIgnoreCase))
            {
                chunked = true;
            }
        }
        return new FtwResponseHead(status, contentLength, chunked);
    }

    /// <summary>Go's <c>ParseHTTPVersion</c>: <c>HTTP/</c>, one digit, a dot, one digit (and "HTTP/1.0"-style only).</summary>
    private static bool IsHttpVersion(string proto) =>
        proto.Length == 8 && proto.StartsWith("HTTP/", StringComparison.Ordinal) && char.IsAsciiDigit(proto[5])
        && proto[6] == '.' && char.IsAsciiDigit(proto[7]);

    /// <summary>Whether a body follows this head (RFC 9112 §6.3: not for HEAD, 1xx, 204 or 304).</summary>
    public bool HasBody(string requestMethod) =>
        requestMethod != "HEAD" && Status >= 200 && Status != 204 && Status != 304;
}
