using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Portcullis.Acme.Challenges;
using Portcullis.Tests.TestSupport;

namespace Portcullis.Tests.Acme;

public sealed class TlsAlpnChallengeCertificateTests
{
    [Fact]
    public void Create_KeyAuthorization_CriticalAcmeIdentifierHoldsDerOctetStringOfSha256()
    {
        const string keyAuthorization = "evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA.9jg46WB3rR_AHD-EBXdN7cBkH1WOu0tA3M9fm21mqTI";

        using var certificate = TlsAlpnChallengeCertificate.Create("shop.example.com", keyAuthorization);

        var extension = certificate.Extensions["1.3.6.1.5.5.7.1.31"];
        Assert.NotNull(extension);
        Assert.True(extension.Critical);
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(keyAuthorization));
        Assert.Equal([0x04, 0x20, .. digest], extension.RawData);
        // And decoded as ASN.1 (RFC 8737 §3: Authorization ::= OCTET STRING (SIZE (32))).
        var reader = new AsnReader(extension.RawData, AsnEncodingRules.DER);
        Assert.Equal(digest, reader.ReadOctetString());
        Assert.False(reader.HasData);
    }

    [Fact]
    public void Create_Host_OnlySanIsHostAndKeyIsUsable()
    {
        using var certificate = TlsAlpnChallengeCertificate.Create("shop.example.com", "token.thumb");

        var san = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Equal(["shop.example.com"], san.EnumerateDnsNames());
        Assert.Empty(san.EnumerateIPAddresses());
        Assert.True(certificate.HasPrivateKey);
        Assert.Equal("1.2.840.10045.2.1", certificate.PublicKey.Oid.Value);
    }

    [Fact]
    public async Task Create_Certificate_OpenSslShowsCriticalAcmeIdentifier()
    {
        using var certificate = TlsAlpnChallengeCertificate.Create("shop.example.com", "token.thumb");
        using var dir = new TempDirectory();
        var path = dir.Write("challenge.pem", certificate.ExportCertificatePem());

        var text = await OpenSsl.RunAsync(["x509", "-in", path, "-noout", "-text"]);
        var asn1 = await OpenSsl.RunAsync(["asn1parse", "-in", path]);

        Assert.Contains("1.3.6.1.5.5.7.1.31: critical", text.Output, StringComparison.Ordinal);
        Assert.Contains("DNS:shop.example.com", text.Output, StringComparison.Ordinal);
        // asn1parse dumps the extnValue OCTET STRING: its content is the DER OCTET STRING 04 20 || SHA-256.
        var expected = "[HEX DUMP]:0420" + Convert.ToHexString(SHA256.HashData("token.thumb"u8));
        Assert.Contains(expected, asn1.Output, StringComparison.Ordinal);
    }
}
