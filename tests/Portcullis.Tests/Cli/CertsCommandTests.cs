using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Portcullis.Cli;
using Portcullis.Tests.TestSupport;

namespace Portcullis.Tests.Cli;

public sealed class CertsCommandTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(null, 0)]
    [InlineData(5, 1)]   // the ACME site has no certificate yet
    public void Run_FileAndAcmeSites_ListsEachAndFailsOnlyWhenAsked(int? failWithin, int expectedExit)
    {
        var config = WriteConfig(notAfter: Now.AddDays(10.5));
        using var output = new StringWriter();
        using var errors = new StringWriter();

        var exit = CertsCommand.Run(config, failWithin, Now, output, errors);

        Assert.Equal(expectedExit, exit);
        var text = output.ToString();
        Assert.Contains("shop: files, expires 2026-12-08 00:00Z (10 days left); shop.example.com", text, StringComparison.Ordinal);
        Assert.Contains("blog: acme, no certificate", text, StringComparison.Ordinal);
        Assert.Contains("not issued yet", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_CertificateWithinTheThreshold_Fails()
    {
        var config = WriteConfig(notAfter: Now.AddDays(3), withAcmeSite: false);
        using var output = new StringWriter();
        using var errors = new StringWriter();

        Assert.Equal(0, CertsCommand.Run(config, 2, Now, output, errors));
        Assert.Equal(1, CertsCommand.Run(config, 7, Now, output, errors));
        Assert.Contains("expires within 7 days", errors.ToString(), StringComparison.Ordinal);
    }

    private string WriteConfig(DateTimeOffset notAfter, bool withAcmeSite = true)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=shop.example.com", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("shop.example.com");
        request.CertificateExtensions.Add(san.Build());
        using var certificate = request.CreateSelfSigned(Now.AddDays(-80), notAfter);
        _dir.Write("shop.pem", certificate.ExportCertificatePem());
        _dir.Write("shop.key", key.ExportPkcs8PrivateKeyPem());
        var acmeSite = withAcmeSite ? """
              - name: blog
                hosts: [blog.example.com]
                tls: { acme: true }
                routes: [{ path: /, upstreams: ["http://127.0.0.1:3001"] }]
            """ : "";
        return _dir.Write("portcullis.yaml", $$"""
            listen: { https: "127.0.0.1:8443", http: "127.0.0.1:8080" }
            data_dir: data
            sites:
              - name: shop
                hosts: [shop.example.com]
                tls: { cert: shop.pem, key: shop.key }
                routes: [{ path: /, upstreams: ["http://127.0.0.1:3000"] }]
            {{acmeSite}}
            """);
    }
}
