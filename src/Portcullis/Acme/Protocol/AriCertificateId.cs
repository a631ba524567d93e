using System.Buffers.Text;
using System.Security.Cryptography.X509Certificates;

namespace Portcullis.Acme.Protocol;

/// <summary>
/// The certificate identifier of RFC 9773 §4.1: base64url(AKI keyIdentifier) "." base64url(serial), where the serial
/// is the DER INTEGER's content octets (so a serial with its high bit set keeps its leading 0x00). Used in the
/// renewalInfo URL and as newOrder's "replaces" (§5).
/// </summary>
internal static class AriCertificateId
{
    public static string For(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var aki = certificate.Extensions.OfType<X509AuthorityKeyIdentifierExtension>().FirstOrDefault()?.KeyIdentifier
            ?? throw new ArgumentException($"certificate {certificate.Subject} has no Authority Key Identifier keyIdentifier (RFC 9773 §4.1 needs it)", nameof(certificate));
        // SerialNumberBytes is the serial big-endian exactly as encoded in the certificate (GetSerialNumber() is reversed).
        return Base64Url.EncodeToString(aki.Span) + "." + Base64Url.EncodeToString(certificate.SerialNumberBytes.Span);
    }
}
