namespace Portcullis.Demo;

/// <summary>
/// The body of <c>POST /api/items</c>. Both members are nullable so a missing one becomes a 400 with a message
/// naming it, rather than a deserialisation failure.
/// </summary>
internal sealed record DemoItemRequest(string? Name, decimal? Price);
