namespace Portcullis.Proxy.Http1;

/// <summary>A reused connection turned out closed before any response byte arrived.</summary>
internal sealed class StaleConnectionException() : Exception("the upstream closed the kept-alive connection");
