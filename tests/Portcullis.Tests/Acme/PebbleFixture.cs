using Portcullis.Tests.TestSupport;

namespace Portcullis.Tests.Acme;

/// <summary>One pebble shared by a test class (starting pebble costs ~0.5 s); never rejects good nonces, never reuses authorizations.</summary>
public sealed class PebbleFixture : IAsyncLifetime
{
    public const string BlockedDomain = "blocked.example.org";

    private PebbleServer? _server;

    internal PebbleServer Server => _server ?? throw new InvalidOperationException("pebble not started");

    public async Task InitializeAsync() =>
        _server = await PebbleServer.StartAsync(new PebbleServerOptions { DomainBlocklist = [BlockedDomain] });

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
