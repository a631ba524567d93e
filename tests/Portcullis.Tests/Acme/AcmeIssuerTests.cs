using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Portcullis.Acme.Challenges;
using Portcullis.Acme.Protocol;
using Portcullis.Tests.TestSupport;

namespace Portcullis.Tests.Acme;

/// <summary>Whole issuances against the real pebble, whose validator connects to this test's challenge servers.</summary>
public sealed class AcmeIssuerTests(PebbleFixture pebble) : IClassFixture<PebbleFixture>
{
    private PebbleServer Server => pebble.Server;

    [Theory]
    [InlineData("EcdsaP256")]
    [InlineData("Rsa2048")]
    public async Task IssueAsync_Http01_ChainVerifiesAgainstPebbleRoot(string keyTypeName)
    {
        var keyType = Enum.Parse<CertificateKeyType>(keyTypeName);
        var store = new AcmeChallengeStore(AcmeChallengeTypes.Http01);
        await using var challenges = await HttpChallengeServer.StartAsync(Server.HttpPort, store);
        using var client = await RegisteredClientAsync();
        var host = AcmeTestNames.UniqueHost("http");
        var hosts = new[] { host, "www." + host };
        var ordersBefore = Server.OrdersCreated;

        var issued = await new AcmeIssuer(client).IssueAsync(hosts, store, keyType, null, CancellationToken.None);

        using var root = await Server.GetRootAsync();
        AssertChainVerifies(issued, root);
        Assert.Equal(hosts.Order(), DnsNames(issued.Leaf).Order());
        Assert.Equal(keyType == CertificateKeyType.EcdsaP256 ? "1.2.840.10045.2.1" : "1.2.840.113549.1.1.1", issued.Leaf.PublicKey.Oid.Value);
        using (var withKey = X509Certificate2.CreateFromPem(issued.Leaf.ExportCertificatePem(), issued.KeyPem))
        {
            Assert.True(withKey.HasPrivateKey);
        }
        // pebble's validator really fetched both tokens from our server, and nothing stays published.
        Assert.Equal(2, challenges.Requests.Select(r => r.Split(' ')[0]).Distinct().Count());
        Assert.All(challenges.Requests, r => Assert.False(store.TryGetHttpResponse(r.Split(' ')[1], out _)));
        await Eventually.TrueAsync(() => Server.OrdersCreated == ordersBefore + 1, "pebble logs exactly one new order");
    }

    [Fact]
    public async Task IssueAsync_TlsAlpn01_IssuesAfterAcmeTls1Handshake()
    {
        var store = new AcmeChallengeStore(AcmeChallengeTypes.TlsAlpn01);
        await using var challenges = TlsAlpnChallengeServer.Start(Server.TlsPort, store);
        using var client = await RegisteredClientAsync();
        var host = AcmeTestNames.UniqueHost("alpn");

        var issued = await new AcmeIssuer(client).IssueAsync([host], store, CertificateKeyType.EcdsaP256, null, CancellationToken.None);

        using var root = await Server.GetRootAsync();
        AssertChainVerifies(issued, root);
        Assert.Equal([host], DnsNames(issued.Leaf));
        Assert.Contains($"{host} acme-tls/1", challenges.Handshakes);
        Assert.Null(store.GetTlsAlpnCertificate(host));
    }

    [Fact]
    public async Task IssueAsync_ChallengeNotServed_ThrowsWithValidatorProblem()
    {
        // The store publishes, but nothing listens on pebble's http-01 port: the validator's connection fails.
        var store = new AcmeChallengeStore(AcmeChallengeTypes.Http01);
        var logger = new RecordingLogger();
        using var client = await RegisteredClientAsync(logger);
        var host = AcmeTestNames.UniqueHost("unserved");

        var error = await Assert.ThrowsAsync<AcmeException>(() =>
            new AcmeIssuer(client).IssueAsync([host], store, CertificateKeyType.EcdsaP256, null, CancellationToken.None));

        Assert.StartsWith("urn:ietf:params:acme:error:", error.Problem?.Type, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(error.Problem?.Detail));
        Assert.Contains($"authorization for {host} is invalid", error.Message, StringComparison.Ordinal);
        Assert.Contains(error.Problem!.Detail!, error.Message, StringComparison.Ordinal);
        Assert.Contains(logger.Entries, e => e.Id.Id == 1709 && e.Message.Contains(error.Problem.Detail!, StringComparison.Ordinal));
    }

    [Fact]
    public async Task IssueAsync_WrongKeyAuthorizationServed_ThrowsUnauthorized()
    {
        // A responder that serves a key authorization for another account key: pebble must refuse it.
        var store = new AcmeChallengeStore(AcmeChallengeTypes.Http01);
        await using var challenges = await HttpChallengeServer.StartAsync(Server.HttpPort, store);
        using var client = await RegisteredClientAsync();
        using var otherKey = AcmeAccountKey.CreateEphemeral();
        var responder = new ForgingResponder(store, otherKey.Thumbprint);

        var error = await Assert.ThrowsAsync<AcmeException>(() =>
            new AcmeIssuer(client).IssueAsync([AcmeTestNames.UniqueHost("forged")], responder, CertificateKeyType.EcdsaP256, null, CancellationToken.None));

        Assert.Equal("urn:ietf:params:acme:error:unauthorized", error.Problem?.Type);
        Assert.NotEmpty(challenges.Requests);
        Assert.Equal(responder.Published, responder.Withdrawn);
    }

    [Fact]
    public async Task IssueAsync_ShortValidityPebble_HonoursCertificateValidity()
    {
        await using var shortLived = await PebbleServer.StartAsync(new PebbleServerOptions { CertificateValidity = TimeSpan.FromMinutes(10) });
        var store = new AcmeChallengeStore(AcmeChallengeTypes.Http01);
        await using var challenges = await HttpChallengeServer.StartAsync(shortLived.HttpPort, store);
        using var key = AcmeAccountKey.CreateEphemeral();
        using var client = await AcmeClient.CreateAsync(new AcmeClientOptions { Directory = shortLived.DirectoryUrl, CaBundlePath = shortLived.CaBundlePath }, key, CancellationToken.None);
        await client.RegisterAsync([], null, CancellationToken.None);

        var issued = await new AcmeIssuer(client).IssueAsync([AcmeTestNames.UniqueHost("short")], store, CertificateKeyType.EcdsaP256, null, CancellationToken.None);

        var lifetime = issued.Leaf.NotAfter - issued.Leaf.NotBefore;
        Assert.InRange(lifetime, TimeSpan.FromMinutes(9), TimeSpan.FromMinutes(11));
        Assert.Null(await client.GetRenewalInfoAsync(issued.Leaf, CancellationToken.None));
    }

    private async Task<AcmeClient> RegisteredClientAsync(RecordingLogger? logger = null)
    {
        var key = AcmeAccountKey.CreateEphemeral();
        var client = await AcmeClient.CreateAsync(new AcmeClientOptions
        {
            Directory = Server.DirectoryUrl,
            CaBundlePath = Server.CaBundlePath,
            Logger = logger ?? new RecordingLogger(),
        }, key, CancellationToken.None);
        await client.RegisterAsync([], null, CancellationToken.None);
        return client;
    }

    private static void AssertChainVerifies(IssuedCertificate issued, X509Certificate2 root)
    {
        var chain = new X509Certificate2Collection();
        chain.ImportFromPem(issued.ChainPem);
        Assert.True(chain.Count >= 2, "leaf and at least one intermediate");
        Assert.Equal(issued.Leaf.Thumbprint, chain[0].Thumbprint);
        using var verifier = new X509Chain();
        verifier.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        verifier.ChainPolicy.CustomTrustStore.Add(root);
        verifier.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        verifier.ChainPolicy.ApplicationPolicy.Add(new Oid("1.3.6.1.5.5.7.3.1"));
        for (var i = 1; i < chain.Count; i++)
        {
            verifier.ChainPolicy.ExtraStore.Add(chain[i]);
        }
        Assert.True(verifier.Build(issued.Leaf), string.Join("; ", verifier.ChainStatus.Select(s => s.StatusInformation)));
    }

    private static string[] DnsNames(X509Certificate2 certificate) =>
        certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().EnumerateDnsNames().ToArray();

    private sealed class ForgingResponder(AcmeChallengeStore store, string otherThumbprint) : IAcmeChallengeResponder
    {
        public int Published { get; private set; }

        public int Withdrawn { get; private set; }

        public string ChallengeType => store.ChallengeType;

        public void Publish(string host, string token, string keyAuthorization)
        {
            Published++;
            store.Publish(host, token, token + "." + otherThumbprint);
        }

        public void Withdraw(string host, string token)
        {
            Withdrawn++;
            store.Withdraw(host, token);
        }
    }
}
