namespace Portcullis.Proxy.Http1;

/// <summary>The upstream answered something that is not valid HTTP/1.1; the client gets 502 and the connection is closed.</summary>
internal sealed class UpstreamProtocolException(string message) : Exception(message);
