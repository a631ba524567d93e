using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Portcullis.Acme.Protocol;
using Portcullis.Tests.TestSupport;

namespace Portcullis.Tests.Acme;

public sealed class CsrBuilderTests
{
    [Theory]
    [InlineData("EcdsaP256", "1.2.840.10045.2.1")]
    [InlineData("Rsa2048", "1.2.840.113549.1.1.1")]
    public async Task Create_Hosts_SanHasAllHostsCnIsFirstAndOpenSslVerifiesSignature(string keyTypeName, string keyOid)
    {
        var keyType = Enum.Parse<CertificateKeyType>(keyTypeName);
        var (der, keyPem) = CsrBuilder.Create(["Shop.Example.com", "www.example.com"], keyType);

        var request = CertificateRequest.LoadSigningRequest(der, HashAlgorithmName.SHA256, CertificateRequestLoadOptions.UnsafeLoadCertificateExtensions);
        Assert.Equal("CN=shop.example.com", request.SubjectName.Name);
        Assert.Equal(keyOid, request.PublicKey.Oid.Value);
        var san = request.CertificateExtensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Equal(["shop.example.com", "www.example.com"], san.EnumerateDnsNames());
        Assert.Contains("PRIVATE KEY", keyPem, StringComparison.Ordinal);
        if (keyType == CertificateKeyType.Rsa2048)
        {
            using var rsa = RSA.Create();
            rsa.ImportFromPem(keyPem);
            Assert.Equal(2048, rsa.KeySize);
            Assert.Equal(rsa.ExportSubjectPublicKeyInfo(), request.PublicKey.ExportSubjectPublicKeyInfo());
        }
        else
        {
            using var ec = ECDsa.Create();
            ec.ImportFromPem(keyPem);
            Assert.Equal(ec.ExportSubjectPublicKeyInfo(), request.PublicKey.ExportSubjectPublicKeyInfo());
        }

        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "request.der");
        await File.WriteAllBytesAsync(path, der);
        var verify = await OpenSsl.RunAsync(["req", "-inform", "DER", "-in", path, "-noout", "-verify"]);
        Assert.Equal(0, verify.ExitCode);
        Assert.Contains("verify OK", verify.Output, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Create_FirstHostLongerThan64_NoCommonNameButSanKeepsIt()
    {
        var longHost = new string('a', 60) + ".example.com";

        var (der, _) = CsrBuilder.Create([longHost], CertificateKeyType.EcdsaP256);

        var request = CertificateRequest.LoadSigningRequest(der, HashAlgorithmName.SHA256, CertificateRequestLoadOptions.UnsafeLoadCertificateExtensions);
        Assert.Equal("", request.SubjectName.Name);
        Assert.Equal([longHost], request.CertificateExtensions.OfType<X509SubjectAlternativeNameExtension>().Single().EnumerateDnsNames());
    }

    [Fact]
    public void Create_NoHosts_Throws() =>
        Assert.Throws<ArgumentException>(() => CsrBuilder.Create([], CertificateKeyType.EcdsaP256));
}
