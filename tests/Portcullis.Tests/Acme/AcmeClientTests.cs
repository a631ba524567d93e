using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Portcullis.Acme.Protocol;
using Portcullis.Tests.TestSupport;

namespace Portcullis.Tests.Acme;

/// <summary>The ACME client against the real pebble CA: accounts, orders, errors.</summary>
public sealed class AcmeClientTests(PebbleFixture pebble) : IClassFixture<PebbleFixture>
{
    private PebbleServer Server => pebble.Server;

    [Fact]
    public async Task CreateAsync_PebbleDirectory_ReadsEndpoints()
    {
        using var key = AcmeAccountKey.CreateEphemeral();
        using var client = await CreateClientAsync(key);

        Assert.Equal(Server.ListenPort, client.Directory.NewOrder!.Port);
        Assert.NotNull(client.Directory.NewNonce);
        Assert.NotNull(client.Directory.Meta?.TermsOfService);
        // pebble 2.4 has no ARI; RFC 9773 support is exercised in AriTests.
        Assert.Null(client.Directory.RenewalInfo);
    }

    [Fact]
    public async Task RegisterAsync_NewKey_CreatesValidAccount()
    {
        using var key = AcmeAccountKey.CreateEphemeral();
        using var client = await CreateClientAsync(key);

        var account = await client.RegisterAsync(["ops@portcullis.example.com"], null, CancellationToken.None);

        Assert.True(account.Created);
        Assert.Equal(AcmeStatus.Valid, account.Status);
        Assert.Equal(account.Url, client.AccountUrl);
        Assert.Equal(["mailto:ops@portcullis.example.com"], account.Contact);
    }

    [Fact]
    public async Task RegisterAsync_SameKeyTwice_ReturnsSameAccount()
    {
        using var key = AcmeAccountKey.CreateEphemeral();
        using var first = await CreateClientAsync(key);
        var created = await first.RegisterAsync([], null, CancellationToken.None);

        // A second client with the same key, as after a restart: the CA must find the account, not make another.
        using var second = await CreateClientAsync(key);
        var again = await second.RegisterAsync([], null, CancellationToken.None);

        Assert.True(created.Created);
        Assert.False(again.Created);
        Assert.Equal(created.Url, again.Url);
    }

    [Fact]
    public async Task RegisterAsync_InvalidEmail_ThrowsInvalidContact()
    {
        using var key = AcmeAccountKey.CreateEphemeral();
        using var client = await CreateClientAsync(key);

        var error = await Assert.ThrowsAsync<AcmeException>(() => client.RegisterAsync(["not-an-email"], null, CancellationToken.None));

        Assert.Equal("urn:ietf:params:acme:error:invalidContact", error.Problem?.Type);
        Assert.Contains("invalidContact", error.Message, StringComparison.Ordinal);
        Assert.Contains(error.Problem!.Detail!, error.Message, StringComparison.Ordinal);
        Assert.Null(client.AccountUrl);
    }

    [Fact]
    public async Task NewOrderAsync_BlocklistedDomain_ThrowsRejectedIdentifier()
    {
        using var key = AcmeAccountKey.CreateEphemeral();
        var logger = new RecordingLogger();
        using var client = await CreateClientAsync(key, logger);
        await client.RegisterAsync([], null, CancellationToken.None);
        var orders = Server.OrdersCreated;

        var error = await Assert.ThrowsAsync<AcmeException>(() =>
            client.NewOrderAsync(["shop." + PebbleFixture.BlockedDomain], null, CancellationToken.None));

        Assert.Equal("urn:ietf:params:acme:error:rejectedIdentifier", error.Problem?.Type);
        Assert.False(string.IsNullOrEmpty(error.Problem?.Detail));
        Assert.Contains("rejectedIdentifier", error.Message, StringComparison.Ordinal);
        Assert.Contains(error.Problem!.Detail!, error.Message, StringComparison.Ordinal);
        Assert.Contains(logger.Entries, e => e.Id.Id == 1705 && e.Message.Contains("rejectedIdentifier", StringComparison.Ordinal));
        Assert.Equal(orders, Server.OrdersCreated);
    }

    [Fact]
    public async Task NewOrderAsync_AllowedDomain_CountsOneOrderWithPendingAuthorizations()
    {
        using var key = AcmeAccountKey.CreateEphemeral();
        using var client = await CreateClientAsync(key);
        await client.RegisterAsync([], null, CancellationToken.None);
        var host = AcmeTestNames.UniqueHost("order");
        var before = Server.OrdersCreated;

        var order = await client.NewOrderAsync([host, "www." + host], null, CancellationToken.None);

        await Eventually.TrueAsync(() => Server.OrdersCreated == before + 1, "pebble logs the new order");
        Assert.Equal(AcmeStatus.Pending, order.Status);
        Assert.Equal(2, order.Authorizations.Count);
        var authorization = await client.GetAuthorizationAsync(order.Authorizations[0], CancellationToken.None);
        Assert.Contains(authorization.Identifier.Value, new[] { host, "www." + host });
        Assert.Contains(authorization.Challenges, c => c.Type == "http-01" && !string.IsNullOrEmpty(c.Token));
        Assert.Contains(authorization.Challenges, c => c.Type == "tls-alpn-01");
        var fetched = await client.GetOrderAsync(order.Url, CancellationToken.None);
        Assert.Equal(order.Finalize, fetched.Finalize);
    }

    [Fact]
    public async Task NewOrderAsync_BeforeRegister_ThrowsInvalidOperation()
    {
        using var key = AcmeAccountKey.CreateEphemeral();
        using var client = await CreateClientAsync(key);

        await Assert.ThrowsAsync<InvalidOperationException>(() => client.NewOrderAsync(["a.example.com"], null, CancellationToken.None));
    }

    [Fact]
    public async Task PostAsync_StaleNonce_RetriesWithFreshNonceFromError()
    {
        using var key = AcmeAccountKey.CreateEphemeral();
        var logger = new RecordingLogger();
        using var client = await CreateClientAsync(key, logger);
        await client.RegisterAsync([], null, CancellationToken.None);
        var order = await client.NewOrderAsync([AcmeTestNames.UniqueHost("nonce")], null, CancellationToken.None);

        // A nonce pebble never issued: pebble must answer badNonce with a fresh Replay-Nonce, which the retry uses.
        client.SetNonceForTesting("bm90LWEtcGViYmxlLW5vbmNl");
        var fetched = await client.GetOrderAsync(order.Url, CancellationToken.None);

        Assert.Equal(order.Url, fetched.Url);
        Assert.Equal(1, logger.Count(1704));
    }

    [Fact]
    public async Task CreateAsync_UnreachableDirectory_FailsFastNamingUrl()
    {
        // A port that was just free and has nothing listening: connection refused at once.
        var url = new Uri($"https://127.0.0.1:{TestPorts.GetFree()}/directory");
        using var key = AcmeAccountKey.CreateEphemeral();
        var watch = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<AcmeException>(() =>
            AcmeClient.CreateAsync(new AcmeClientOptions { Directory = url }, key, CancellationToken.None));

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
        Assert.Contains(url.ToString(), error.Message, StringComparison.Ordinal);
        Assert.Contains("unreachable", error.Message, StringComparison.Ordinal);
        Assert.IsType<HttpRequestException>(error.InnerException);
    }

    [Fact]
    public async Task CreateAsync_SilentServer_TimesOutNamingUrl()
    {
        // Accepts TCP but never speaks TLS: only the request timeout ends the wait.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var url = new Uri($"https://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/directory");
        using var key = AcmeAccountKey.CreateEphemeral();
        var options = new AcmeClientOptions { Directory = url, RequestTimeout = TimeSpan.FromSeconds(1) };

        var error = await Assert.ThrowsAsync<AcmeException>(() => AcmeClient.CreateAsync(options, key, CancellationToken.None));

        Assert.Contains(url.ToString(), error.Message, StringComparison.Ordinal);
        Assert.Contains("within 1 s", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateAsync_UrlServesNonAcmeContent_ThrowsNotAcmeDirectory()
    {
        // pebble's management API serves PEM at /roots/0: reachable, trusted, but not a directory.
        var url = new Uri($"https://127.0.0.1:{Server.ManagementPort}/roots/0");
        using var key = AcmeAccountKey.CreateEphemeral();

        var error = await Assert.ThrowsAsync<AcmeException>(() =>
            AcmeClient.CreateAsync(new AcmeClientOptions { Directory = url, CaBundlePath = Server.CaBundlePath }, key, CancellationToken.None));

        Assert.Contains(url.ToString(), error.Message, StringComparison.Ordinal);
        Assert.Contains("not ACME directory JSON", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateAsync_WithoutCaBundle_RejectsPebbleCertificate()
    {
        using var key = AcmeAccountKey.CreateEphemeral();

        var error = await Assert.ThrowsAsync<AcmeException>(() =>
            AcmeClient.CreateAsync(new AcmeClientOptions { Directory = Server.DirectoryUrl }, key, CancellationToken.None));

        Assert.Contains(Server.DirectoryUrl.ToString(), error.Message, StringComparison.Ordinal);
    }

    private Task<AcmeClient> CreateClientAsync(AcmeAccountKey key, RecordingLogger? logger = null) =>
        AcmeClient.CreateAsync(new AcmeClientOptions
        {
            Directory = Server.DirectoryUrl,
            CaBundlePath = Server.CaBundlePath,
            Logger = logger ?? new RecordingLogger(),
        }, key, CancellationToken.None);
}
