using System.Buffers.Text;
using System.Security.Cryptography;
using Portcullis.Acme.Protocol;
using Portcullis.Tests.TestSupport;

namespace Portcullis.Tests.Acme;

/// <summary>External account binding (RFC 8555 §7.3.4) against a pebble that requires it.</summary>
public sealed class AcmeExternalAccountBindingTests : IAsyncLifetime
{
    private const string KeyId = "portcullis-kid";
    private readonly string _macKey = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(48));
    private PebbleServer? _server;

    private PebbleServer Server => _server!;

    public async Task InitializeAsync() =>
        _server = await PebbleServer.StartAsync(new PebbleServerOptions
        {
            ExternalAccountBindingRequired = true,
            ExternalAccountMacKeys = new Dictionary<string, string> { [KeyId] = _macKey },
        });

    public async Task DisposeAsync() => await Server.DisposeAsync();

    [Fact]
    public async Task RegisterAsync_EabRequiredAndGiven_CreatesAccount()
    {
        using var key = AcmeAccountKey.CreateEphemeral();
        using var client = await CreateClientAsync(key);

        var account = await client.RegisterAsync(["ops@portcullis.example.com"], new ExternalAccountBinding(KeyId, _macKey), CancellationToken.None);

        Assert.True(client.Directory.Meta?.ExternalAccountRequired);
        Assert.True(account.Created);
        Assert.Equal(AcmeStatus.Valid, account.Status);
    }

    [Fact]
    public async Task RegisterAsync_EabRequiredButMissing_ThrowsExternalAccountRequired()
    {
        using var key = AcmeAccountKey.CreateEphemeral();
        using var client = await CreateClientAsync(key);

        var error = await Assert.ThrowsAsync<AcmeException>(() => client.RegisterAsync([], null, CancellationToken.None));

        Assert.Equal(AcmeProblem.ExternalAccountRequired, error.Problem?.Type);
        Assert.Contains("requires external account binding and none is configured", error.Message, StringComparison.Ordinal);
        Assert.Contains("externalAccountRequired", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RegisterAsync_EabWithWrongMacKey_ThrowsNamingProblem()
    {
        using var key = AcmeAccountKey.CreateEphemeral();
        using var client = await CreateClientAsync(key);
        var wrong = new ExternalAccountBinding(KeyId, Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(48)));

        var error = await Assert.ThrowsAsync<AcmeException>(() => client.RegisterAsync([], wrong, CancellationToken.None));

        Assert.StartsWith(AcmeProblem.ErrorPrefix, error.Problem?.Type, StringComparison.Ordinal);
        Assert.Null(client.AccountUrl);
    }

    private Task<AcmeClient> CreateClientAsync(AcmeAccountKey key) =>
        AcmeClient.CreateAsync(new AcmeClientOptions { Directory = Server.DirectoryUrl, CaBundlePath = Server.CaBundlePath }, key, CancellationToken.None);
}
