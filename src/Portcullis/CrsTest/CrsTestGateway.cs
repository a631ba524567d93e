using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using Portcullis.Configuration;
using Portcullis.Hosting;
using Portcullis.Observability;

namespace Portcullis.CrsTest;

/// <summary>
/// The real pipeline for the regression suite: the gateway on loopback with CRS configured as the CRS project tests
/// it, in front of an albedo-like origin. Each stage's bytes go over TLS to the gateway; the log lines of that
/// request are the matched rules its request event carries, found by the X-Request-Id the gateway answered with.
/// A request Kestrel refuses before the pipeline (a malformed request line, say) has no event and no log lines.
/// </summary>
internal sealed class CrsTestGateway : IAsyncDisposable, IRequestEventObserver
{
    private static readonly TimeSpan EventWait = TimeSpan.FromSeconds(2);

    private readonly ConcurrentDictionary<string, TaskCompletionSource<RequestEvent>> _events = new(StringComparer.Ordinal);
    private readonly FtwClient _client = new();
    private AlbedoOrigin? _origin;
    private GatewayHost? _host;
    private string? _directory;
    private FtwEndpoint? _endpoint;

    private CrsTestGateway()
    {
    }

    public static async Task<CrsTestGateway> StartAsync(string crsDirectory, CancellationToken cancellationToken)
    {
        var gateway = new CrsTestGateway();
        try
        {
            await gateway.StartCoreAsync(Path.GetFullPath(crsDirectory), cancellationToken);
            return gateway;
        }
        catch
        {
            await gateway.DisposeAsync();
            throw;
        }
    }

    private async Task StartCoreAsync(string crs, CancellationToken cancellationToken)
    {
        _directory = Directory.CreateTempSubdirectory("portcullis-crs-test-").FullName;
        var setup = Path.Combine(_directory, "crs-test-setup.conf");
        await File.WriteAllTextAsync(setup, CrsTestSetup.Rules, cancellationToken);
        _origin = await AlbedoOrigin.StartAsync(cancellationToken);
        var https = new IPEndPoint(IPAddress.Loopback, FreePort());
        var config = new GatewayConfig
        {
            SourcePath = "(crs-test)",
            DataDir = Path.Combine(_directory, "data"),
            Listen = new ListenConfig { Https = https, Http = null },
            Tls = new TlsConfig(),
            TrustedProxies = [],
            Headers = HeadersConfig.Empty,
            Limits = new LimitsConfig(),
            Proxy = new ProxyConfig(),
            Log = new LogConfig { File = false, Stdout = false },
            Waf = new WafConfig
            {
                CrsPath = crs,
                RuleFiles = [setup],
                Mode = WafMode.Block,
                Paranoia = 4,
                ResponseMimeTypes = CrsTestSetup.ResponseMimeTypes,
            },
            Sites =
            [
                new SiteConfig
                {
                    Name = "crs-test",
                    Hosts = ["localhost"],
                    IsDefault = true,
                    Tls = new SiteTlsConfig(),
                    Headers = HeadersConfig.Empty,
                    Waf = new SiteWafConfig { Mode = WafMode.Block, Paranoia = 4 },
                    Routes = [new RouteConfig { Path = "/", Upstreams = [_origin.BaseAddress], HealthCheck = new HealthCheckConfig() }],
                },
            ],
        };
        _host = await GatewayHost.StartAsync(config, new GatewayHostOptions { MinimumLogLevel = LogLevel.Error, Observers = [this] }, cancellationToken);
        _endpoint = new FtwEndpoint("127.0.0.1", https.Port, Tls: true, TlsServerName: "localhost");
        await WarmUpAsync(cancellationToken);
    }

    /// <summary>
    /// The first requests through a fresh rule set pay for JIT-compiling hundreds of regexes and the body parsers;
    /// send a few of each kind first so no test stage waits on the compiler (go-ftw's timeouts are short).
    /// </summary>
    private async Task WarmUpAsync(CancellationToken cancellationToken)
    {
        string[] requests =
        [
            "GET /?a=1&b=<script>alert(1)</script>&c=1%27%20or%201=1 HTTP/1.1\r\nHost: localhost\r\nUser-Agent: warm-up\r\nCookie: x=y\r\nConnection: close\r\n\r\n",
            "POST /post HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 18\r\nConnection: close\r\n\r\na=1&b=select+1+--",
            "POST /post HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 16\r\nConnection: close\r\n\r\n{\"a\":[1,\"b\"]}  ",
            "POST /post HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/xml\r\nContent-Length: 14\r\nConnection: close\r\n\r\n<a b=\"c\">d</a>",
            "POST /post HTTP/1.1\r\nHost: localhost\r\nContent-Type: multipart/form-data; boundary=x\r\nContent-Length: 62\r\nConnection: close\r\n\r\n--x\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nvalue\r\n--x--\r\n",
        ];
        var slow = new FtwClient(new FtwClientOptions { ReadTimeout = TimeSpan.FromSeconds(60) });
        for (var round = 0; round < 3; round++)
        {
            foreach (var request in requests)
            {
                await slow.SendAsync(Encoding.Latin1.GetBytes(request), _endpoint!, cancellationToken);
            }
        }
    }

    /// <summary>The stage executor for <see cref="FtwRunner"/>.</summary>
    public async Task<(FtwResponse Response, IReadOnlyList<string> LogLines)> ExecuteAsync(FtwStage stage, CancellationToken cancellationToken)
    {
        var request = FtwRequestBuilder.Build(stage.Input);
        var response = await _client.SendAsync(request, _endpoint!, cancellationToken);
        if (RequestId(response.RawHead) is not { } id)
        {
            return (response, []);
        }
        var pending = _events.GetOrAdd(id, _ => new TaskCompletionSource<RequestEvent>(TaskCreationOptions.RunContinuationsAsynchronously));
        try
        {
            var e = await pending.Task.WaitAsync(EventWait, cancellationToken);
            return (response, e.Waf is { } waf ? [.. waf.Matches.Select(m => m.ToLogLine())] : []);
        }
        catch (TimeoutException)
        {
            return (response with { Error = response.Error ?? "the gateway published no event for the request" }, []);
        }
        finally
        {
            _events.TryRemove(id, out _);
        }
    }

    public void OnRequest(RequestEvent requestEvent) =>
        _events.GetOrAdd(requestEvent.RequestId, _ => new TaskCompletionSource<RequestEvent>(TaskCreationOptions.RunContinuationsAsynchronously))
            .TrySetResult(requestEvent);

    private static string? RequestId(byte[] head)
    {
        var text = Encoding.Latin1.GetString(head);
        foreach (var line in text.Split("\r\n"))
        {
            if (line.StartsWith(RequestTrackingMiddleware.RequestIdHeader + ":", StringComparison.OrdinalIgnoreCase))
            {
                return line[(RequestTrackingMiddleware.RequestIdHeader.Length + 1)..].Trim();
            }
        }
        return null;
    }

    private static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
        if (_origin is not null)
        {
            await _origin.DisposeAsync();
        }
        if (_directory is not null)
        {
            try
            {
                Directory.Delete(_directory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
