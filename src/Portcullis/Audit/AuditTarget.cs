using System.Net;

namespace Portcullis.Audit;

/// <summary>
/// What to audit: <c>portcullis audit HOST[:PORT] [--sni NAME] [--ip ADDR] [--ca FILE] [--http-port N]</c>.
/// </summary>
/// <param name="Host">The host name (or address) as the user typed it; the default SNI and the name the certificate must match.</param>
/// <param name="Port">The TLS port, 443 by default.</param>
/// <param name="Sni">The server name to send; null means <see cref="Host"/> unless it is an IP address (no SNI then, RFC 6066 §3).</param>
/// <param name="Address">Connect here instead of resolving <see cref="Host"/> (like curl's --resolve).</param>
/// <param name="CaFile">Extra trusted roots (PEM), added to the system store.</param>
/// <param name="HttpPort">The plain-HTTP port checked for a redirect to HTTPS; 80 by default.</param>
/// <param name="Timeout">Bound on each connection attempt and each probe.</param>
internal sealed record AuditTarget(
    string Host,
    int Port = 443,
    string? Sni = null,
    IPAddress? Address = null,
    string? CaFile = null,
    int HttpPort = 80,
    TimeSpan? Timeout = null)
{
    /// <summary>The per-probe bound when none is given: long enough for a slow server, short enough for a 15 s audit.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);

    public TimeSpan ProbeTimeout => Timeout ?? DefaultTimeout;

    /// <summary>The SNI actually sent, or null for none.</summary>
    public string? ServerName => Sni ?? (IPAddress.TryParse(Host.Trim('[', ']'), out _) ? null : Host);
}
