using System.Net;
using System.Runtime.Versioning;
using System.Security.Cryptography.X509Certificates;
using Portcullis.Tests.TestSupport;

namespace Portcullis.Tests.Integration;

/// <summary>
/// The TLS policy as a client sees it: the real gateway on loopback, probed with the real <c>openssl s_client</c>
/// (OpenSSL 3.0), so protocol, suite, certificate and ALPN choices are checked on the wire, not in our own code.
/// The policy is Mozilla intermediate 5.8 (../shared/notes/tls.md §2): TLS 1.2 + 1.3, ECDHE with AEAD only.
/// Every refusal is paired with an acceptance over the same gateway, so a broken probe cannot pass as a refusal.
/// </summary>
[SupportedOSPlatform("linux")] // /usr/bin/openssl and Unix file modes
public sealed class TlsHandshakeTests(TlsHandshakeTests.TwoSites fixture) : IClassFixture<TlsHandshakeTests.TwoSites>
{
    private const string SelfSignedHost = "a.test";
    private const string RsaHost = "rsa.test";

    private int Port => fixture.Gateway.HttpsPort;

    // ---- Protocol versions

    [Theory]
    [InlineData("-tls1")]
    [InlineData("-tls1_1")]
    public async Task Handshake_LegacyProtocolVersion_Refused(string version)
    {
        // SECLEVEL=0: OpenSSL 3's default security level would not even offer TLS 1.0/1.1; this makes the client really try.
        var legacy = await OpenSsl.ConnectAsync(Port, "-servername", SelfSignedHost, version, "-cipher", "DEFAULT@SECLEVEL=0");
        var control = await OpenSsl.ConnectAsync(Port, "-servername", SelfSignedHost, "-tls1_2", "-cipher", "DEFAULT@SECLEVEL=0");

        Assert.False(legacy.HandshakeSucceeded, legacy.Describe());
        // The server's protocol_version alert (RFC 8446 §6.2, alert 70) proves the client did offer the old version.
        Assert.Contains("alert protocol version", legacy.Stderr, StringComparison.Ordinal);
        Assert.True(control.HandshakeSucceeded, control.Describe());
        Assert.Equal("TLSv1.2", control.Protocol);
    }

    // ---- RSA-2048 site with a CA → intermediate → leaf chain

    [Theory]
    [InlineData("ECDHE-RSA-AES128-SHA")] // CBC (Lucky13 and padding oracles)
    [InlineData("ECDHE-RSA-AES256-SHA384")] // CBC
    [InlineData("AES128-GCM-SHA256")] // RSA key exchange: no forward secrecy, ROBOT
    [InlineData("AES256-SHA")] // RSA key exchange and CBC
    [InlineData("DHE-RSA-AES128-GCM-SHA256")] // DHE, dropped by Mozilla intermediate 5.8 (.NET loads no DH group either; this guards both)
    [InlineData("ECDHE-ECDSA-AES128-GCM-SHA256")] // allowed suite, but this site's key is RSA: no common suite
    public async Task Handshake_RsaSiteTls12SuiteOutsidePolicy_Refused(string cipher)
    {
        var result = await OpenSsl.ConnectAsync(Port, "-servername", RsaHost, "-tls1_2", "-cipher", cipher);

        Assert.False(result.HandshakeSucceeded, result.Describe());
        Assert.Null(result.Cipher);
        // handshake_failure (alert 40) from the server, not a client that found nothing to offer ("no cipher match").
        Assert.Contains("alert handshake failure", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ECDHE-RSA-AES128-GCM-SHA256")]
    [InlineData("ECDHE-RSA-AES256-GCM-SHA384")]
    [InlineData("ECDHE-RSA-CHACHA20-POLY1305")]
    public async Task Handshake_RsaSiteTls12EcdheAead_Accepted(string cipher)
    {
        var result = await OpenSsl.ConnectAsync(Port, "-servername", RsaHost, "-tls1_2", "-cipher", cipher);

        Assert.True(result.HandshakeSucceeded, result.Describe());
        Assert.Equal("TLSv1.2", result.Protocol);
        Assert.Equal(cipher, result.Cipher);
    }

    [Theory]
    [InlineData("TLS_AES_128_GCM_SHA256")]
    [InlineData("TLS_AES_256_GCM_SHA384")]
    [InlineData("TLS_CHACHA20_POLY1305_SHA256")]
    public async Task Handshake_RsaSiteTls13_Accepted(string suite)
    {
        var result = await OpenSsl.ConnectAsync(Port, "-servername", RsaHost, "-tls1_3", "-ciphersuites", suite);

        Assert.True(result.HandshakeSucceeded, result.Describe());
        Assert.Equal("TLSv1.3", result.Protocol);
        Assert.Equal(suite, result.Cipher);
    }

    [Fact]
    public async Task Handshake_RsaSite_ServesLeafAndIntermediateThatVerifyToTheRoot()
    {
        var shown = await OpenSsl.ConnectAsync(Port, "-servername", RsaHost, "-showcerts");
        // ca.pem holds only the root: verification succeeds only if the server sent the intermediate.
        var verified = await OpenSsl.ConnectAsync(Port, "-servername", RsaHost, "-CAfile", fixture.Pki.CaPath,
            "-verify_return_error", "-verify_hostname", RsaHost);

        Assert.True(shown.HandshakeSucceeded, shown.Describe());
        Assert.Equal(2, shown.PemCertificates.Count);
        using var leaf = X509Certificate2.CreateFromPem(shown.PemCertificates[0]);
        using var intermediate = X509Certificate2.CreateFromPem(shown.PemCertificates[1]);
        Assert.Contains("CN=rsa.test", leaf.Subject, StringComparison.Ordinal);
        Assert.Equal(2048, leaf.GetRSAPublicKey()?.KeySize);
        Assert.Equal(leaf.Issuer, intermediate.Subject);
        Assert.Contains("Intermediate", intermediate.Subject, StringComparison.Ordinal);
        Assert.True(verified.HandshakeSucceeded, verified.Describe());
        Assert.Contains("Verification: OK", verified.Stdout, StringComparison.Ordinal);
        Assert.Contains("Verify return code: 0 (ok)", verified.Stdout, StringComparison.Ordinal);
    }

    // ---- Self-signed ECDSA site (the default site): suites and ALPN

    [Fact]
    public async Task Handshake_EcdsaSiteTls12EcdheEcdsaAesGcm_Accepted()
    {
        var result = await OpenSsl.ConnectAsync(Port, "-servername", SelfSignedHost, "-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-GCM-SHA256");

        Assert.True(result.HandshakeSucceeded, result.Describe());
        Assert.Equal("TLSv1.2", result.Protocol);
        Assert.Equal("ECDHE-ECDSA-AES128-GCM-SHA256", result.Cipher);
    }

    [Theory]
    [InlineData("h2", "h2")]
    [InlineData("http/1.1", "http/1.1")]
    [InlineData("h2,http/1.1", "h2")]
    public async Task Handshake_Alpn_NegotiatesTheOfferedProtocol(string offered, string expected)
    {
        var result = await OpenSsl.ConnectAsync(Port, "-servername", SelfSignedHost, "-alpn", offered);

        Assert.True(result.HandshakeSucceeded, result.Describe());
        Assert.Equal(expected, result.Alpn);
    }

    [Fact]
    public async Task Request_Http2Exact_AnsweredOverHttp2()
    {
        using var client = fixture.Gateway.CreateClient(HttpVersion.Version20);

        using var response = await client.GetAsync(new Uri($"https://{SelfSignedHost}/"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpVersion.Version20, response.Version);
    }

    // ---- SNI

    [Theory]
    [InlineData(SelfSignedHost, "CN = a.test", SelfSignedHost)]
    [InlineData("www.a.test", "CN = a.test", SelfSignedHost)]
    [InlineData(RsaHost, "CN = rsa.test", RsaHost)]
    [InlineData("RSA.TEST", "CN = rsa.test", RsaHost)] // RFC 6066 §3: host names compare case-insensitively
    [InlineData("unknown.test", "CN = a.test", SelfSignedHost)] // not listed: the default (first) site
    [InlineData(null, "CN = a.test", SelfSignedHost)] // no SNI at all: the default site
    public async Task Handshake_ServerName_PicksTheSiteCertificate(string? serverName, string expectedSubject, string expectedSanName)
    {
        var result = await OpenSsl.ConnectAsync(Port, serverName is null ? ["-noservername"] : ["-servername", serverName]);

        Assert.True(result.HandshakeSucceeded, result.Describe());
        Assert.EndsWith(expectedSubject, result.Subject, StringComparison.Ordinal);
        using var leaf = result.LeafCertificate();
        var san = Assert.Single(leaf.Extensions.OfType<X509SubjectAlternativeNameExtension>());
        Assert.Contains(expectedSanName, san.EnumerateDnsNames());
    }

    [Fact]
    public async Task Handshake_StrictSniUnknownName_Refused()
    {
        await using var gateway = await TestGateway.StartAsync("""
            listen: { https: "{https}", http: "{http}" }
            data_dir: "{data}"
            tls: { strict_sni: true }
            sites:
              - name: app
                hosts: [app.test]
                routes: [{ path: /, upstreams: ["http://127.0.0.1:9"] }]
            """);

        var known = await OpenSsl.ConnectAsync(gateway.HttpsPort, "-servername", "app.test");
        var unknown = await OpenSsl.ConnectAsync(gateway.HttpsPort, "-servername", "unknown.test");
        var none = await OpenSsl.ConnectAsync(gateway.HttpsPort, "-noservername");

        Assert.True(known.HandshakeSucceeded, known.Describe());
        Assert.EndsWith("CN = app.test", known.Subject, StringComparison.Ordinal);
        Assert.False(unknown.HandshakeSucceeded, unknown.Describe());
        Assert.Null(unknown.Cipher);
        Assert.Empty(unknown.PemCertificates);
        Assert.False(none.HandshakeSucceeded, none.Describe());
        Assert.Empty(none.PemCertificates);
    }

    // ---- Profiles

    [Fact]
    public async Task Handshake_ModernProfile_RefusesTls12AcceptsTls13()
    {
        await using var gateway = await TestGateway.StartAsync("""
            listen: { https: "{https}", http: "{http}" }
            data_dir: "{data}"
            tls: { profile: modern }
            sites:
              - name: app
                hosts: [app.test]
                routes: [{ path: /, upstreams: ["http://127.0.0.1:9"] }]
            """);

        var tls12 = await OpenSsl.ConnectAsync(gateway.HttpsPort, "-servername", "app.test", "-tls1_2");
        var tls13 = await OpenSsl.ConnectAsync(gateway.HttpsPort, "-servername", "app.test", "-tls1_3");

        Assert.False(tls12.HandshakeSucceeded, tls12.Describe());
        Assert.Contains("alert protocol version", tls12.Stderr, StringComparison.Ordinal);
        Assert.True(tls13.HandshakeSucceeded, tls13.Describe());
        Assert.Equal("TLSv1.3", tls13.Protocol);
    }

    // ---- Renegotiation

    [Fact]
    public async Task Renegotiation_ClientInitiatedOnTls12_NotCompleted()
    {
        // "R" on its own line makes s_client call SSL_renegotiate after the first handshake; stdin stays open so that
        // a server which accepted would get the time to finish the second handshake (s_client then prints the
        // certificate verification, "depth=0 ...", a second time and exits 0 when stdin closes).
        var result = await OpenSsl.RunAsync(
            ["s_client", "-connect", $"127.0.0.1:{Port}", "-servername", SelfSignedHost, "-tls1_2"],
            input: "R\n", holdInputOpen: TimeSpan.FromSeconds(2));

        Assert.False(result.TimedOut, result.Describe());
        Assert.Equal("TLSv1.2", result.Protocol);
        var attempt = result.Stderr.IndexOf("RENEGOTIATING", StringComparison.Ordinal);
        Assert.True(attempt >= 0, "the client never tried to renegotiate\n" + result.Describe());
        Assert.Contains("depth=0", result.Stderr[..attempt], StringComparison.Ordinal);
        Assert.False(result.Stderr[attempt..].Contains("depth=0", StringComparison.Ordinal),
            "the server completed a second handshake (renegotiation)\n" + result.Describe());
        Assert.NotEqual(0, result.ExitCode);
    }

    // ---- Self-signed certificates in data_dir

    [Fact]
    public async Task SelfSigned_FirstStart_P256KeyMode0600AndSanWithEverySiteHost()
    {
        var directory = Path.Combine(fixture.Gateway.Directory, "data", "certs", "self-signed");
        var keyPath = Path.Combine(directory, "selfsigned.key");
        var certPath = Path.Combine(directory, "selfsigned.crt");

        var text = await OpenSsl.RunAsync(["x509", "-in", certPath, "-noout", "-text"]);
        var served = await OpenSsl.ConnectAsync(Port, "-servername", SelfSignedHost);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyPath));
        using var onDisk = X509CertificateLoader.LoadCertificateFromFile(certPath);
        using var key = onDisk.GetECDsaPublicKey();
        Assert.NotNull(key);
        Assert.Equal("1.2.840.10045.3.1.7", key.ExportParameters(false).Curve.Oid.Value); // NIST P-256 / prime256v1
        Assert.True(text.ExitCode == 0, text.Describe());
        Assert.Contains("ASN1 OID: prime256v1", text.Stdout, StringComparison.Ordinal);
        Assert.Contains("DNS:a.test, DNS:www.a.test", text.Stdout, StringComparison.Ordinal);
        Assert.True(served.HandshakeSucceeded, served.Describe());
        using var leaf = served.LeafCertificate();
        Assert.Equal(onDisk.Thumbprint, leaf.Thumbprint);
    }

    [Fact]
    public async Task SelfSigned_RestartOnSameDataDir_ReusesTheCertificate()
    {
        using var dataDir = new TempDirectory();
        var yaml = $$"""
            listen: { https: "{https}", http: "{http}" }
            data_dir: "{{dataDir.Path}}"
            sites:
              - name: app
                hosts: [app.test]
                routes: [{ path: /, upstreams: ["http://127.0.0.1:9"] }]
            """;
        var keyPath = Path.Combine(dataDir.Path, "certs", "self-signed", "app.key");

        string firstThumbprint, firstKey;
        await using (var first = await TestGateway.StartAsync(yaml))
        {
            var served = await OpenSsl.ConnectAsync(first.HttpsPort, "-servername", "app.test");
            Assert.True(served.HandshakeSucceeded, served.Describe());
            using var leaf = served.LeafCertificate();
            firstThumbprint = leaf.Thumbprint;
            firstKey = await File.ReadAllTextAsync(keyPath);
        }
        await using var second = await TestGateway.StartAsync(yaml);
        var again = await OpenSsl.ConnectAsync(second.HttpsPort, "-servername", "app.test");

        Assert.True(again.HandshakeSucceeded, again.Describe());
        using var secondLeaf = again.LeafCertificate();
        Assert.Equal(firstThumbprint, secondLeaf.Thumbprint);
        Assert.Equal(firstKey, await File.ReadAllTextAsync(keyPath));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyPath));
    }

    /// <summary>
    /// One gateway shared by the class: the default site "selfsigned" (a.test, www.a.test; self-signed ECDSA) and
    /// the site "rsa" (rsa.test) serving an RSA-2048 leaf + intermediate made with openssl.
    /// </summary>
    public sealed class TwoSites : IAsyncLifetime
    {
        private TestOrigin? _origin;
        private TestGateway? _gateway;

        internal TestGateway Gateway => _gateway ?? throw new InvalidOperationException("not started");

        internal OpenSsl.Pki Pki { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            // The gateway's directory holds the PKI too and is deleted with it.
            var directory = new TempDirectory();
            Pki = await OpenSsl.CreateRsaChainAsync(directory.Combine("pki"), RsaHost);
            _origin = await TestOrigin.StartAsync("origin");
            _gateway = await TestGateway.StartAsync($$"""
                listen: { https: "{https}", http: "{http}" }
                data_dir: "{data}"
                sites:
                  - name: selfsigned
                    hosts: [a.test, www.a.test]
                    routes: [{ path: /, upstreams: ["{{_origin.Url}}"] }]
                  - name: rsa
                    hosts: [rsa.test]
                    tls: { cert: "{{Pki.ChainPath}}", key: "{{Pki.KeyPath}}" }
                    routes: [{ path: /, upstreams: ["{{_origin.Url}}"] }]
                """, directory);
        }

        public async Task DisposeAsync()
        {
            if (_gateway is not null)
            {
                await _gateway.DisposeAsync();
            }
            if (_origin is not null)
            {
                await _origin.DisposeAsync();
            }
        }
    }
}
