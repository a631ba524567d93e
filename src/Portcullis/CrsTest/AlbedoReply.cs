namespace Portcullis.CrsTest;

/// <summary>What albedo answers: a status, headers (names canonical as Go writes them) and a body.</summary>
internal sealed record AlbedoReply(int Status, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[] Body);
