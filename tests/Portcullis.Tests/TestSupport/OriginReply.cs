using System.Text.Json;

namespace Portcullis.Tests.TestSupport;

/// <summary>What a <see cref="TestOrigin"/> said it received.</summary>
internal sealed record OriginReply(string Origin, string Path, string Query, IReadOnlyDictionary<string, string> Headers)
{
    public static async Task<OriginReply> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        using var doc = JsonDocument.Parse(text);
        var root = doc.RootElement;
        var headers = root.GetProperty("headers").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "", StringComparer.OrdinalIgnoreCase);
        return new OriginReply(root.GetProperty("origin").GetString()!, root.GetProperty("path").GetString()!, root.GetProperty("query").GetString()!, headers);
    }

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}
