namespace Portcullis.Audit.Tls;

/// <summary>
/// A cipher suite as the audit reports and grades it.
/// </summary>
/// <param name="Code">The two-byte IANA code point.</param>
/// <param name="Name">The IANA name, e.g. TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256.</param>
/// <param name="OpenSslName">OpenSSL's name (what sslscan and nginx's ssl_ciphers use), e.g. ECDHE-RSA-AES128-GCM-SHA256.</param>
/// <param name="KeyExchange">RSA, DHE, ECDHE, PSK, ... ("any" for TLS 1.3 suites).</param>
/// <param name="Encryption">AES-128-GCM, CHACHA20-POLY1305, AES-256-CBC, 3DES-EDE-CBC, RC4-128, NULL, ...</param>
/// <param name="Bits">Effective symmetric strength (3DES = 112, export suites ≤ 56, NULL = 0).</param>
/// <param name="Aead">GCM, CCM or ChaCha20-Poly1305.</param>
/// <param name="ForwardSecrecy">Ephemeral key exchange (DHE, ECDHE, all TLS 1.3 suites).</param>
internal sealed record CipherSuite(
    ushort Code,
    string Name,
    string OpenSslName,
    string KeyExchange,
    string Encryption,
    int Bits,
    bool Aead,
    bool ForwardSecrecy);
