namespace Portcullis.Tests.TestSupport;

/// <summary>One request as the upstream received it: the raw head and the body.</summary>
internal sealed record RawRequest(int Connection, int Index, string Head, byte[] Body)
{
    /// <summary>"GET /x HTTP/1.1".</summary>
    public string RequestLine => Head[..Head.IndexOf("\r\n", StringComparison.Ordinal)];

    public string Method => RequestLine.Split(' ')[0];

    public string Target => RequestLine.Split(' ')[1];

    /// <summary>Header fields in order, as sent (names keep their case).</summary>
    public IReadOnlyList<(string Name, string Value)> Headers =>
    [
        .. Head.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(line =>
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            return (line[..colon], line[(colon + 1)..].Trim());
        }),
    ];

    /// <summary>Every value of the header <paramref name="name"/> (case-insensitive), one per field line.</summary>
    public IReadOnlyList<string> Values(string name) =>
        [.. Headers.Where(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value)];

    /// <summary>The single value of <paramref name="name"/>, null when absent; fails the test when it appears more than once.</summary>
    public string? Header(string name) => Values(name) switch
    {
        [] => null,
        [var one] => one,
        var many => throw new Xunit.Sdk.XunitException($"{name} appears {many.Count} times: {string.Join(" | ", many)}"),
    };

    internal static long ContentLengthOf(string head)
    {
        foreach (var line in head.Split("\r\n"))
        {
            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            {
                return long.Parse(line["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        return 0;
    }
}
