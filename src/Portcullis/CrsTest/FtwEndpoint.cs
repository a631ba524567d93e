namespace Portcullis.CrsTest;

/// <summary>
/// Where stages are sent. go-ftw dials each test's <c>dest_addr</c>/<c>port</c>/<c>protocol</c>; we override all
/// three with our own loopback listener, the way go-ftw's config overrides do.
/// </summary>
/// <param name="TlsServerName">The SNI name for TLS; go-ftw derives it from the address it dials.</param>
internal sealed record FtwEndpoint(string Host, int Port, bool Tls = false, string TlsServerName = "localhost");
