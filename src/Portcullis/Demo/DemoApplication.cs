using System.Net;

namespace Portcullis.Demo;

/// <summary>
/// The small web application <c>portcullis demo</c> puts behind the gateway: a few HTML pages, a JSON API, large
/// downloads and uploads, a slow endpoint and a WebSocket echo, served over plain HTTP on one endpoint.
/// It is deliberately naive (it announces <c>Server</c> and <c>X-Powered-By</c>) so users can see the gateway
/// clean up after it.
/// </summary>
internal sealed class DemoApplication : IAsyncDisposable
{
    public const string PoweredBy = "PortcullisDemo/1.0";

    // Open WebSockets and /slow end on ApplicationStopping, so a stop normally takes milliseconds; this bounds the rest.
    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(5);

    private static readonly string[] GetOrHead = [HttpMethods.Get, HttpMethods.Head];

    private readonly WebApplication _app;

    private DemoApplication(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    /// <summary>Where the application answers, e.g. <c>http://127.0.0.1:54321/</c>, with the port actually bound.</summary>
    public Uri BaseAddress { get; }

    /// <summary>
    /// Starts the application on <paramref name="endpoint"/> (port 0 picks a free port) and returns once it is
    /// listening. Throws if the endpoint cannot be bound.
    /// </summary>
    public static async Task<DemoApplication> StartAsync(IPEndPoint endpoint, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var app = Build(endpoint);
        try
        {
            await app.StartAsync(ct);
            return new DemoApplication(app, ResolveBaseAddress(app, endpoint));
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(ShutdownTimeout);
        try
        {
            await _app.StopAsync(timeout.Token);
        }
        finally
        {
            await _app.DisposeAsync();
        }
    }

    private static WebApplication Build(IPEndPoint endpoint)
    {
        // The empty builder reads no appsettings.json, environment variables or command line, so nothing in the
        // user's directory or environment (ASPNETCORE_URLS, Logging:*) changes where or how the demo runs.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(options =>
        {
            // Left on deliberately: the gateway is expected to strip it.
            options.AddServerHeader = true;
            options.Listen(endpoint);
        });
        builder.Services.AddRoutingCore();
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = ShutdownTimeout);

        var app = builder.Build();
        var stopping = app.Lifetime.ApplicationStopping;
        var slow = new DemoSlowHandler(stopping);
        var api = new DemoApiHandlers(new DemoItemStore(DemoCatalog.Products));
        var webSocket = new DemoWebSocketEcho(stopping);

        app.Use(static (context, next) =>
        {
            context.Response.Headers.XPoweredBy = PoweredBy;
            // Unlike the banners, a policy the gateway cannot know: it describes what these pages load.
            context.Response.Headers.ContentSecurityPolicy = DemoContentSecurityPolicy.Value;

            // Routing already ran; no endpoint means no route matched the path (a wrong method gets routing's 405).
            return context.GetEndpoint() is null ? DemoPageHandlers.NotFoundAsync(context) : next(context);
        });
        app.UseWebSockets();

        app.MapMethods("/", GetOrHead, DemoPageHandlers.HomeAsync);
        app.MapMethods("/search", GetOrHead, DemoPageHandlers.SearchAsync);
        app.MapMethods("/login", GetOrHead, DemoPageHandlers.LoginFormAsync);
        app.MapPost("/login", DemoPageHandlers.LoginAsync);
        app.MapMethods("/cookie", GetOrHead, DemoPageHandlers.CookieAsync);
        app.MapMethods("/healthz", GetOrHead, DemoPageHandlers.HealthAsync);
        app.MapMethods("/slow", GetOrHead, slow.HandleAsync);
        app.MapMethods("/api/items", GetOrHead, api.ListAsync);
        app.MapMethods("/api/items/{id}", GetOrHead, api.GetAsync);
        app.MapPost("/api/items", api.CreateAsync);
        app.MapMethods("/download", GetOrHead, DemoTransferHandlers.DownloadAsync);
        app.MapPost("/upload", DemoTransferHandlers.UploadAsync);
        app.MapGet("/ws", webSocket.EchoAsync);
        return app;
    }

    private static Uri ResolveBaseAddress(WebApplication app, IPEndPoint endpoint)
    {
        // Kestrel replaces port 0 with the bound port in the addresses it reports once started.
        var bound = app.Urls.Single();
        var port = new Uri(bound).Port;

        // A wildcard address is where to listen, not where to connect; loopback reaches it.
        var host = endpoint.Address.Equals(IPAddress.Any) ? IPAddress.Loopback
            : endpoint.Address.Equals(IPAddress.IPv6Any) ? IPAddress.IPv6Loopback
            : endpoint.Address;
        return new Uri($"http://{new IPEndPoint(host, port)}/");
    }
}
