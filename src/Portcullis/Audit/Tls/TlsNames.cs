namespace Portcullis.Audit.Tls;

/// <summary>Protocol names as people and scanners write them (sslscan: "TLSv1.2").</summary>
internal static class TlsNames
{
    public static string Of(TlsVersion version) => version switch
    {
        TlsVersion.Ssl2 => "SSLv2",
        TlsVersion.Ssl3 => "SSLv3",
        TlsVersion.Tls10 => "TLS 1.0",
        TlsVersion.Tls11 => "TLS 1.1",
        TlsVersion.Tls12 => "TLS 1.2",
        TlsVersion.Tls13 => "TLS 1.3",
        _ => $"0x{(ushort)version:X4}",
    };
}
