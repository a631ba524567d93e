using Portcullis.Configuration;
using Portcullis.Tests.TestSupport;

namespace Portcullis.Tests.Configuration;

public sealed class AcmeConfigTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private ConfigLoadResult Load(string yaml) => ConfigLoader.Load(_dir.Write("portcullis.yaml", yaml));

    private static string Config(string acme, string siteTls = "tls: { acme: true }", string hosts = "[app.example.com, www.example.com]",
        string listen = "{ https: \"127.0.0.1:8443\", http: \"127.0.0.1:8080\" }") => $$"""
        listen: {{listen}}
        tls:
          acme: {{acme}}
        sites:
          - name: app
            hosts: {{hosts}}
            {{siteTls}}
            routes:
              - { path: /, upstreams: ["http://127.0.0.1:3000"] }
        """;

    [Fact]
    public void Load_AcmeSite_ReadsEverySetting()
    {
        var roots = _dir.Write("roots.pem", SelfSignedPem());
        var result = Load(Config($$"""{ directory: "https://127.0.0.1:14000/dir", email: ops@example.com, ca_bundle: {{roots}}, challenge: tls-alpn-01, key_type: rsa2048, external_account: { key_id: kid-1, hmac_key: "c2VjcmV0LWtleQ" } }"""));

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        var acme = result.Config!.Tls.Acme;
        Assert.Equal(new Uri("https://127.0.0.1:14000/dir"), acme.Directory);
        Assert.Equal("ops@example.com", acme.Email);
        Assert.Equal(roots, acme.CaBundlePath);
        Assert.Equal(AcmeChallengeKind.TlsAlpn01, acme.Challenge);
        Assert.Equal(AcmeKeyType.Rsa2048, acme.KeyType);
        Assert.Equal("kid-1", acme.ExternalAccount!.KeyId);
        Assert.Equal("secret-key"u8.ToArray(), acme.ExternalAccount.HmacKey);
        var site = Assert.Single(result.Config.Sites);
        Assert.True(site.Tls.Acme);
        Assert.False(site.Tls.SelfSigned);
    }

    [Fact]
    public void Load_AcmeWithoutSettings_LetsEncryptHttp01Ecdsa()
    {
        var result = Load(Config("{}"));

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        var acme = result.Config!.Tls.Acme;
        Assert.Equal(AcmeConfig.LetsEncryptProduction, acme.Directory);
        Assert.Equal(AcmeChallengeKind.Http01, acme.Challenge);
        Assert.Equal(AcmeKeyType.EcdsaP256, acme.KeyType);
        Assert.Null(acme.Email);
    }

    [Theory]
    [InlineData("{ directory: letsencrypt-staging }", null)]
    [InlineData("{ directory: \"http://127.0.0.1/dir\" }", "is not an https:// URL")]
    [InlineData("{ email: not-an-email }", "is not an email address")]
    [InlineData("{ email: \"a@b@example.com\" }", "is not an email address")]
    [InlineData("{ challenge: dns-01 }", "use http-01")]
    [InlineData("{ key_type: dsa }", "use ecdsa")]
    [InlineData("{ ca_bundle: missing.pem }", "does not exist")]
    [InlineData("{ external_account: { key_id: k } }", "hmac_key")]
    [InlineData("{ external_account: { key_id: k, hmac_key: \"not base64!\" } }", "not base64url")]
    [InlineData("{ dirctory: x }", "dirctory")]
    public void Load_AcmeSetting_CheckedWithLineAndHint(string acme, string? expected)
    {
        var result = Load(Config(acme));

        if (expected is null)
        {
            Assert.True(result.Succeeded, string.Join("\n", result.Errors));
            return;
        }
        var error = Assert.Single(result.Errors);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Equal(3, error.Line);
    }

    [Theory]
    [InlineData("tls: { acme: true, cert: a.pem, key: a.key }", "[app.example.com]", "exclude each other")]
    [InlineData("tls: { acme: true }", "[\"*.example.com\"]", "wildcard")]
    [InlineData("tls: { acme: true }", "[\"192.0.2.10\"]", "IP address")]
    public void Load_AcmeSiteThatCannotBeValidated_IsAnError(string siteTls, string hosts, string expected)
    {
        _dir.Write("a.pem", SelfSignedPem());
        _dir.Write("a.key", "");

        var result = Load(Config("{}", siteTls, hosts));

        Assert.Contains(result.Errors, e => e.Message.Contains(expected, StringComparison.Ordinal) && e.Line == 7);
    }

    [Fact]
    public void Load_Http01WithoutPlainHttpListener_TellsWhatToDo()
    {
        var result = Load(Config("{ challenge: http-01 }", listen: "{ https: \"127.0.0.1:8443\", http: off }"));

        var error = Assert.Single(result.Errors);
        Assert.Contains("listen.http is off", error.Message, StringComparison.Ordinal);
        Assert.Contains("tls-alpn-01", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_TlsAlpnWithoutPlainHttpListener_Fine()
    {
        var result = Load(Config("{ challenge: tls-alpn-01 }", listen: "{ https: \"127.0.0.1:8443\", http: off }"));

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
    }

    private static string SelfSignedPem()
    {
        using var key = System.Security.Cryptography.ECDsa.Create();
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=test root", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return certificate.ExportCertificatePem();
    }
}
