using System.Text.Json;
using System.Text.Json.Serialization;

namespace Portcullis.Audit.Report;

/// <summary>Source-generated JSON for <c>portcullis audit --json</c>: camelCase, indented, nulls written (a field is always there).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true)]
[JsonSerializable(typeof(AuditJson))]
[JsonSerializable(typeof(IReadOnlyList<AuditJson>))]
internal sealed partial class AuditJsonContext : JsonSerializerContext;
