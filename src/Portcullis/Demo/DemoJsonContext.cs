using System.Text.Json;
using System.Text.Json.Serialization;

namespace Portcullis.Demo;

/// <summary>
/// Source-generated JSON metadata for the demo API, so serialisation needs no reflection (trim- and AOT-safe).
/// Web defaults give camelCase names; numbers must be JSON numbers, not strings, so <c>"price": "1"</c> is a 400.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(DemoItem))]
[JsonSerializable(typeof(DemoItem[]))]
[JsonSerializable(typeof(DemoItemRequest))]
[JsonSerializable(typeof(DemoError))]
[JsonSerializable(typeof(DemoUploadResult))]
internal sealed partial class DemoJsonContext : JsonSerializerContext;
