using System.Net;
using Portcullis.Demo;

namespace Portcullis.Tests.Demo;

/// <summary>One demo application on 127.0.0.1 and a client for it, shared by the tests of a class.</summary>
public sealed class DemoApplicationFixture : IAsyncLifetime
{
    private DemoApplication? _application;

    internal DemoApplication Application => _application ?? throw new InvalidOperationException("Not started.");

    public HttpClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _application = await DemoApplication.StartAsync(new IPEndPoint(IPAddress.Loopback, 0), CancellationToken.None);

        // No cookie container: the tests read Set-Cookie themselves, and a container would drop the Secure cookie
        // on plain HTTP anyway.
        var handler = new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false };
        Client = new HttpClient(handler) { BaseAddress = _application.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        if (_application is not null)
        {
            await _application.DisposeAsync();
        }
    }
}
