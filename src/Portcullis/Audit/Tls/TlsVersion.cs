namespace Portcullis.Audit.Tls;

/// <summary>A protocol version as it appears on the wire (RFC 8446 §4.1.2 legacy_version / supported_versions).</summary>
internal enum TlsVersion : ushort
{
    Ssl2 = 0x0200,
    Ssl3 = 0x0300,
    Tls10 = 0x0301,
    Tls11 = 0x0302,
    Tls12 = 0x0303,
    Tls13 = 0x0304,
}
