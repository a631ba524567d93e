using System.Text.Json;

namespace Portcullis.Observability;

/// <summary>What one log of the request stream writes: its file under logs/, which events, and how each becomes a JSON line.</summary>
internal sealed record EventLogFormat(string FileName, Func<RequestEvent, bool> Include, Action<Utf8JsonWriter, RequestEvent> Write);
