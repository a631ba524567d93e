using System.Text.Json.Serialization;

namespace Portcullis.CrsTest;

/// <summary>Source-generated metadata (no reflection), snake_case names like go-ftw's own YAML keys.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(FtwJsonRun))]
internal sealed partial class FtwJsonContext : JsonSerializerContext;
