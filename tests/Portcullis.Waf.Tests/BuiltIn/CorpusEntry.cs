using System.Text.Json;

namespace Portcullis.Waf.Tests.BuiltIn;

/// <summary>One line of ../shared/attacks/*.jsonl (format: shared/attacks/README.md, "Record format").</summary>
internal sealed record CorpusEntry(
    string Id,
    string Class,
    string? Subclass,
    bool Malicious,
    string Payload,
    string Placement,
    string? Param,
    string? Encode,
    string? Method,
    string? Path,
    string? Boundary,
    bool Hard)
{
    /// <summary>../shared/attacks, found beside ../shared/crs.</summary>
    public static string Directory() => System.IO.Path.Combine(System.IO.Path.GetDirectoryName(CrsDirectoryLocator.Find())!, "attacks");

    public static IEnumerable<string> Files() =>
        System.IO.Directory.GetFiles(Directory(), "*.jsonl").Select(System.IO.Path.GetFileName).Order(StringComparer.Ordinal)!;

    public static IEnumerable<CorpusEntry> Read(string file)
    {
        foreach (var line in File.ReadLines(System.IO.Path.Combine(Directory(), file)))
        {
            if (!string.IsNullOrWhiteSpace(line))
            {
                yield return Parse(line);
            }
        }
    }

    public static CorpusEntry Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var r = doc.RootElement;
        string? Str(string name) => r.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        var hard = r.TryGetProperty("tags", out var tags) && tags.ValueKind == JsonValueKind.Array
            && tags.EnumerateArray().Any(t => t.GetString() == "hard");
        return new CorpusEntry(Str("id") ?? "", Str("class") ?? "", Str("subclass"), r.GetProperty("malicious").GetBoolean(),
            Str("payload") ?? "", Str("placement") ?? "", Str("param"), Str("encode"), Str("method"), Str("path"), Str("boundary"), hard);
    }
}
