using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Portcullis.Configuration;
using Portcullis.Hosting;
using Portcullis.Observability;

namespace Portcullis.Tests.TestSupport;

/// <summary>
/// The real gateway on loopback ports, started from a YAML config the test writes. "{https}", "{http}" and
/// "{data}" in the YAML are replaced with free ports and a temporary data directory.
/// </summary>
internal sealed class TestGateway : IAsyncDisposable, IRequestEventObserver
{
    private readonly TempDirectory _dir;
    private readonly bool _ownsDirectory;

    private TestGateway(TempDirectory dir, bool ownsDirectory, string configPath, GatewayHost host, int httpsPort, int httpPort)
    {
        _dir = dir;
        _ownsDirectory = ownsDirectory;
        ConfigPath = configPath;
        Host = host;
        HttpsPort = httpsPort;
        HttpPort = httpPort;
    }

    public GatewayHost Host { get; }

    public string ConfigPath { get; }

    public string Directory => _dir.Path;

    public int HttpsPort { get; }

    public int HttpPort { get; }

    public ConcurrentQueue<RequestEvent> Events { get; } = new();

    public void OnRequest(RequestEvent requestEvent) => Events.Enqueue(requestEvent);

    /// <summary>
    /// Starts the gateway. A <paramref name="dir"/> passed in outlives the gateway (a restart test starts a second one
    /// on the same data); <paramref name="httpsPort"/>/<paramref name="httpPort"/> fix the ports a peer must know first.
    /// </summary>
    public static async Task<TestGateway> StartAsync(string yaml, TempDirectory? dir = null, int? httpsPort = null, int? httpPort = null,
        GatewayHostOptions? options = null)
    {
        var ownsDirectory = dir is null;
        dir ??= new TempDirectory();
        var https = httpsPort ?? TestPorts.GetFree();
        var http = httpPort ?? TestPorts.GetFree();
        return await StartAsync(yaml, dir, ownsDirectory, https, http, options ?? new GatewayHostOptions { MinimumLogLevel = LogLevel.Warning });
    }

    private static async Task<TestGateway> StartAsync(string yaml, TempDirectory dir, bool ownsDirectory, int httpsPort, int httpPort, GatewayHostOptions options)
    {
        var text = Expand(yaml, dir, httpsPort, httpPort);
        var path = dir.Write("portcullis.yaml", text);
        var result = ConfigLoader.Load(path);
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        var observer = new ObserverProxy();
        var host = await GatewayHost.StartAsync(result.Config!, options with { Observers = [.. options.Observers, observer] }, CancellationToken.None);
        var gateway = new TestGateway(dir, ownsDirectory, path, host, httpsPort, httpPort);
        observer.Target = gateway;
        return gateway;
    }

    public string Expand(string yaml) => Expand(yaml, _dir, HttpsPort, HttpPort);

    /// <summary>Replaces "{https}", "{http}" and "{data}" as the gateway does (also for configs run by the real program).</summary>
    public static string Expand(string yaml, TempDirectory dir, int httpsPort, int httpPort) => yaml
        .Replace("{https}", $"127.0.0.1:{httpsPort}", StringComparison.Ordinal)
        .Replace("{http}", $"127.0.0.1:{httpPort}", StringComparison.Ordinal)
        .Replace("{data}", dir.Combine("data"), StringComparison.Ordinal);

    /// <summary>
    /// An HTTPS client that connects to this gateway whatever host name the URL has, so SNI and Host carry the
    /// URL's name (https://app.test/ reaches the gateway as app.test). Certificates are not checked; the TLS tests do that.
    /// </summary>
    public HttpClient CreateClient(System.Version? version = null, TimeSpan? timeout = null)
    {
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            UseCookies = false,
            ConnectCallback = async (context, ct) =>
            {
                var port = context.DnsEndPoint.Port == 80 ? HttpPort : HttpsPort;
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), ct);
                return new NetworkStream(socket, ownsSocket: true);
            },
            SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, _, _, _) => true },
        };
        return new HttpClient(handler)
        {
            DefaultRequestVersion = version ?? HttpVersion.Version11,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Timeout = timeout ?? TimeSpan.FromSeconds(30),
        };
    }

    /// <summary>Waits until the event for a request id arrives (events are published after the response completes).</summary>
    public async Task<RequestEvent> WaitForEventAsync(string requestId)
    {
        for (var i = 0; i < 200; i++)
        {
            var found = Events.FirstOrDefault(e => e.RequestId == requestId);
            if (found is not null)
            {
                return found;
            }
            await Task.Delay(10);
        }
        throw new TimeoutException($"no RequestEvent for {requestId}");
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        if (_ownsDirectory)
        {
            _dir.Dispose();
        }
    }

    /// <summary>The host needs its observers before the gateway object exists; this forwards once it does.</summary>
    private sealed class ObserverProxy : IRequestEventObserver
    {
        public TestGateway? Target { get; set; }

        public void OnRequest(RequestEvent requestEvent) => Target?.OnRequest(requestEvent);
    }
}
