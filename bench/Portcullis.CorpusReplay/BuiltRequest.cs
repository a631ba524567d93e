namespace Portcullis.CorpusReplay;

/// <summary>The bytes to write for one entry. <see cref="Method"/> tells the response reader whether a body follows
/// (not after HEAD). <see cref="Isolated"/> requests go alone on a fresh connection that is closed after the first
/// response: a smuggling payload's leftover bytes must not be read as the next request's answer.</summary>
internal sealed record BuiltRequest(byte[] Bytes, string Method, bool Isolated);
