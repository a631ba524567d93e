using System.Text.Json;

namespace Portcullis.CorpusReplay;

/// <summary>Reads every <c>*.jsonl</c> of the corpus folder, in file-name order, applying the per-file selection.</summary>
internal static class CorpusReader
{
    public static List<CorpusEntry> Read(string folder, Selection selection)
    {
        var files = Directory.GetFiles(folder, "*.jsonl").Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0)
        {
            throw new InvalidOperationException($"no *.jsonl files in '{folder}'");
        }

        var all = new List<CorpusEntry>();
        foreach (var file in files)
        {
            var stem = System.IO.Path.GetFileNameWithoutExtension(file);
            var entries = File.ReadLines(file)
                .Where(line => line.Length > 0)
                .Select(line => Parse(line, stem))
                .Where(selection.Keeps)
                .ToList();
            all.AddRange(selection.Apply(entries, stem));
        }

        return all;
    }

    internal static CorpusEntry Parse(string line, string file)
    {
        using var doc = JsonDocument.Parse(line);
        var root = doc.RootElement;
        return new CorpusEntry
        {
            Id = Required(root, "id"),
            File = file,
            Class = Required(root, "class"),
            Subclass = Optional(root, "subclass"),
            Malicious = root.GetProperty("malicious").GetBoolean(),
            Payload = Required(root, "payload"),
            Placement = Required(root, "placement"),
            Param = Optional(root, "param"),
            Encode = Optional(root, "encode"),
            Method = Optional(root, "method"),
            Path = Optional(root, "path"),
            Boundary = Optional(root, "boundary"),
            Hard = root.TryGetProperty("tags", out var tags) && tags.ValueKind == JsonValueKind.Array
                && tags.EnumerateArray().Any(t => t.ValueKind == JsonValueKind.String && t.GetString() == "hard"),
        };
    }

    private static string Required(JsonElement root, string name) =>
        Optional(root, name) ?? throw new InvalidDataException($"corpus line without '{name}': {root.GetRawText()[..Math.Min(120, root.GetRawText().Length)]}");

    private static string? Optional(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
