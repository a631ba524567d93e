using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Portcullis.Acme.Protocol;

namespace Portcullis.Tests.Acme;

public sealed class AriCertificateIdTests
{
    /// <summary>RFC 9773 §4.1's example: keyIdentifier 69:88:5B:6B:87:46:40:41:E1:B3:7B:84:7B:A0:AE:2C:DE:01:C8:D4, serial 00:87:65:43:21.</summary>
    [Fact]
    public void For_Rfc9773Example_GivesRfcCertId()
    {
        using var leaf = Issue(Convert.FromHexString("69885B6B87464041E1B37B847BA0AE2CDE01C8D4"), Convert.FromHexString("0087654321"));

        Assert.Equal("aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE", AriCertificateId.For(leaf));
    }

    [Theory]
    [InlineData("01", "AQ")]           // smallest serial
    [InlineData("7F", "fw")]           // high bit clear: no padding byte
    [InlineData("0080", "AIA")]        // high bit set: DER keeps the leading zero, and so must the id
    public void For_Serial_EncodesDerContentOctets(string serialHex, string expected)
    {
        using var leaf = Issue([1, 2, 3], Convert.FromHexString(serialHex));

        Assert.Equal("AQID." + expected, AriCertificateId.For(leaf));
    }

    [Fact]
    public void For_NoAuthorityKeyIdentifier_Throws()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var selfSigned = new CertificateRequest("CN=x", key, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1));

        Assert.Throws<ArgumentException>(() => AriCertificateId.For(selfSigned));
    }

    private static X509Certificate2 Issue(byte[] authorityKeyId, byte[] serial)
    {
        using var issuerKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var issuerName = new X500DistinguishedName("CN=Example Issuer");
        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=leaf.example.com", leafKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromSubjectKeyIdentifier(authorityKeyId));
        var now = DateTimeOffset.UtcNow;
        return request.Create(issuerName, X509SignatureGenerator.CreateForECDsa(issuerKey), now, now.AddDays(1), serial);
    }
}
