using Portcullis.Configuration;
using Portcullis.Tests.TestSupport;

namespace Portcullis.Tests.Docs;

/// <summary>Every YAML example in docs/certificates.md and the README's config is accepted by the real config loader.</summary>
public sealed class CertificateDocsTests : IDisposable
{
    private const string MinimalSites = """
        sites:
          - name: shop
            hosts: [shop.example.com]
            tls: { acme: true }
            routes: [{ path: /, upstreams: ["http://127.0.0.1:3000"] }]
        """;

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    public static TheoryData<string, int> Examples() => DocExamples.Rows("docs/certificates.md", "README.md");

    [Theory]
    [MemberData(nameof(Examples))]
    public void Example_LoadsWithoutErrors(string file, int index)
    {
        var yaml = DocExamples.Block(file, index);
        // Paths the example names on a real server become files here; a sites list is added to tls-only fragments.
        var root = _dir.Write("internal-root.pem", SelfSignedPem());
        yaml = yaml.Replace("/etc/portcullis/internal-root.pem", root, StringComparison.Ordinal)
            .Replace("/etc/portcullis/coreruleset", CrsPath(), StringComparison.Ordinal)
            .Replace("/var/lib/portcullis", _dir.Combine("data"), StringComparison.Ordinal);
        if (!yaml.Contains("sites:", StringComparison.Ordinal))
        {
            yaml += "\n" + MinimalSites;
        }

        var result = ConfigLoader.Parse(yaml, _dir.Combine("portcullis.yaml"));

        Assert.True(result.Succeeded, $"{file} example {index}:\n{yaml}\n{string.Join("\n", result.Errors)}");
    }


    private static string CrsPath() => Path.GetFullPath(Path.Combine(DocExamples.RepositoryRoot(), "..", "shared", "crs"));

    private static string SelfSignedPem()
    {
        using var key = System.Security.Cryptography.ECDsa.Create();
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=internal root", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return certificate.ExportCertificatePem();
    }
}
