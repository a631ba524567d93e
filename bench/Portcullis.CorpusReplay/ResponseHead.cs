namespace Portcullis.CorpusReplay;

/// <summary>What the reader needs of a response head: the status and whether the connection stays open.</summary>
internal sealed record ResponseHead(int Status, bool KeepAlive);
