using System.Net.Security;

namespace Portcullis.Acme.Challenges;

internal static class AcmeChallengeTypes
{
    /// <summary>RFC 8555 §8.3: the key authorization at http://{host}/.well-known/acme-challenge/{token}, port 80.</summary>
    public const string Http01 = "http-01";

    /// <summary>RFC 8737: a special certificate in a TLS handshake on port 443 that negotiates ALPN "acme-tls/1".</summary>
    public const string TlsAlpn01 = "tls-alpn-01";

    /// <summary>The path prefix http-01 responses are served under (RFC 8555 §8.3).</summary>
    public const string HttpPathPrefix = "/.well-known/acme-challenge/";

    /// <summary>The ALPN protocol id of tls-alpn-01 validation handshakes (RFC 8737 §6.2).</summary>
    public static readonly SslApplicationProtocol AcmeTls1 = new("acme-tls/1"u8.ToArray());
}
