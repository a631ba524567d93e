using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Portcullis.Challenge;
using Portcullis.Configuration;
using Portcullis.Limits;
using Portcullis.Observability;
using Portcullis.Proxy;
using Portcullis.Tls;

namespace Portcullis.Hosting;

/// <summary>
/// The running gateway: Kestrel with the HTTPS and redirect listeners, the request pipeline, and the current
/// config generation. <see cref="StartAsync"/> composes it from a validated config; <see cref="Reload"/> swaps
/// in a new generation.
/// </summary>
internal sealed class GatewayHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly GatewayState _state;
    private readonly GatewaySnapshotBuilder _builder;
    private readonly ILogger _logger;
    private readonly Lock _reloadLock = new();
    private IDisposable? _rejections;

    private GatewayHost(WebApplication app)
    {
        _app = app;
        _state = app.Services.GetRequiredService<GatewayState>();
        _builder = app.Services.GetRequiredService<GatewaySnapshotBuilder>();
        _logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Portcullis");
    }

    public GatewaySnapshot Current => _state.Current;

    public IServiceProvider Services => _app.Services;

    /// <summary>Builds and starts the gateway. Throws <see cref="GatewayStartException"/> when the config cannot be put into service.</summary>
    public static async Task<GatewayHost> StartAsync(GatewayConfig config, GatewayHostOptions options, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = "portcullis", ContentRootPath = AppContext.BaseDirectory });
        ConfigureLogging(builder.Logging, options);
        var services = builder.Services;
        services.AddSingleton(options.Time);
        services.AddSingleton<UpstreamClient>(sp => new UpstreamClient(config.Proxy));
        services.AddSingleton(sp => new Proxy.Http1.UpstreamConnectionPool(config.Proxy.ConnectTimeout));
        services.AddSingleton<Proxy.Http1.Http1Forwarder>();
        services.AddSingleton(sp => new UpstreamRegistry(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new GatewaySnapshotBuilder(
            sp.GetRequiredService<UpstreamRegistry>(), sp.GetRequiredService<UpstreamClient>().Invoker,
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>(), sp.GetRequiredService<Firewall.FirewallRuleSets>()));
        services.AddSingleton<Firewall.FirewallRuleSets>();
        services.AddSingleton(sp =>
        {
            var (snapshot, errors) = sp.GetRequiredService<GatewaySnapshotBuilder>().Build(config);
            return snapshot is null ? throw new GatewayStartException(errors) : new GatewayState(snapshot);
        });
        services.AddSingleton<SniCertificateSelector>();
        services.AddSingleton<Acme.AcmeChallengeStores>();
        services.AddSingleton(sp => new CertificateMetrics(sp.GetRequiredService<GatewayState>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new Acme.AcmeCertificateManager(sp.GetRequiredService<GatewayState>(), sp.GetRequiredService<Acme.AcmeChallengeStores>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>(), options.Acme));
        services.AddSingleton(sp => new AccessLogWriter(config.Log, Path.Combine(config.DataDir, "logs"), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<AccessLogWriter>>()));
        services.AddSingleton<IRequestEventObserver>(sp => sp.GetRequiredService<AccessLogWriter>());
        // The security log goes to its own file only (stdout carries the access log when configured).
        services.AddSingleton<IRequestEventObserver>(sp => new AccessLogWriter(config.Log with { Stdout = false }, Path.Combine(config.DataDir, "logs"),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<AccessLogWriter>>(), Firewall.SecurityLogFormatter.Format));
        services.AddSingleton<IRequestEventObserver>(sp => new Incidents.IncidentRecorder(
            () => Incidents.IncidentStoreOptions.ForDataDir(config.DataDir) with { MaxAge = config.Waf.IncidentMaxAge, MaxSize = config.Waf.IncidentMaxSize },
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<Incidents.IncidentRecorder>>()));
        foreach (var observer in options.Observers)
        {
            services.AddSingleton<IRequestEventObserver>(observer);
        }
        services.AddSingleton<RequestEventStream>();
        services.AddChallenge(config.DataDir);
        services.AddSingleton<LimitSignals>();
        services.AddSingleton<RateLimitTables>();
        services.AddSingleton<Http2ResetBudgets>();
        services.AddSingleton<KestrelRejections>();
        services.AddHttpForwarder();
        builder.WebHost.ConfigureKestrel(kestrel => ConfigureKestrel(kestrel, config));
        // With inline socket completions (Program.cs), let Kestrel run the request pipeline on the I/O thread too
        // instead of queueing it: everything the gateway does per request is asynchronous and short.
        builder.WebHost.UseSockets(sockets => sockets.UnsafePreferInlineScheduling = options.InlineScheduling);

        var app = builder.Build();
        var host = new GatewayHost(app);
        host._rejections = KestrelRejections.Subscribe(app.Services.GetRequiredService<System.Diagnostics.DiagnosticListener>(), app.Services.GetRequiredService<KestrelRejections>());
        app.UseMiddleware<RequestTrackingMiddleware>();
        app.UseMiddleware<Acme.AcmeHttpChallengeMiddleware>();
        app.UseMiddleware<HttpsRedirectMiddleware>();
        app.UseMiddleware<Sites.SiteSelectionMiddleware>();
        app.UseMiddleware<ClientLimitsMiddleware>();
        app.UseChallenge();
        app.UseMiddleware<Firewall.FirewallMiddleware>();
        app.UseMiddleware<ForwardingMiddleware>();
        Directory.CreateDirectory(config.DataDir);
        await app.StartAsync(cancellationToken);
        host.LogStarted(config);
        // After the listeners are up: the CA validates against them as soon as an order starts.
        app.Services.GetRequiredService<Acme.AcmeCertificateManager>().Sync(host.Current);
        app.Services.GetRequiredService<CertificateMetrics>();
        return host;
    }

    private static void ConfigureLogging(ILoggingBuilder logging, GatewayHostOptions options)
    {
        logging.ClearProviders();
        logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            o.UseUtcTimestamp = true;
        });
        logging.SetMinimumLevel(options.MinimumLogLevel);
        foreach (var provider in options.LoggerProviders)
        {
            logging.AddProvider(provider);
        }
        // Kestrel logs each bad handshake and connection reset at Information and YARP each forward: noise on a front door.
        logging.AddFilter("Microsoft", LogLevel.Warning);
        // YARP logs every failed forward with a stack trace at Warning; ForwardingMiddleware logs them once, briefly.
        logging.AddFilter("Yarp", LogLevel.Error);
        logging.AddFilter("Microsoft.AspNetCore.Server.Kestrel", LogLevel.Error);
        logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);
        // "Hosting failed to start" with the whole stack: ServeAsync reports start failures itself, in one line.
        logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
    }

    /// <summary>A client that opens a socket and never finishes the handshake holds a connection slot: bound it.</summary>
    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(10);

    /// <summary>While TLS-ALPN-01 is in use, the ClientHello must arrive within this (it is one packet for real clients); the handshake timeout follows.</summary>
    private static readonly TimeSpan ClientHelloTimeout = TimeSpan.FromSeconds(5);

    private static void ConfigureKestrel(KestrelServerOptions kestrel, GatewayConfig config)
    {
        KestrelLimits.Apply(kestrel, config.Limits);
        // Header bytes pass through unchanged: the firewall inspects bytes (an evasion hides in what UTF-8 decoding
        // would replace), and the forwarder writes them upstream as Latin-1 again.
        kestrel.RequestHeaderEncodingSelector = static _ => System.Text.Encoding.Latin1;
        var selector = kestrel.ApplicationServices.GetRequiredService<SniCertificateSelector>();
        var state = kestrel.ApplicationServices.GetRequiredService<GatewayState>();
        var services = kestrel.ApplicationServices;
        kestrel.Listen(config.Listen.Https, listen =>
        {
            listen.Protocols = HttpProtocols.Http1AndHttp2;
            // First of all: a client over its connection cap is closed before it costs a ClientHello read or a handshake.
            listen.Use(next => new ClientConnectionLimit(next, state, services.GetRequiredService<RequestEventStream>(),
                services.GetRequiredService<LimitSignals>(), services.GetRequiredService<TimeProvider>(),
                services.GetRequiredService<ILoggerFactory>().CreateLogger("Portcullis.Limits")).OnConnectionAsync);
            if (config.Limits.Http2MaxResets is { } maxResets)
            {
                listen.Use(services.GetRequiredService<Http2ResetBudgets>().Middleware(maxResets));
            }
            // Before TLS: the handshake callback cannot see the ALPN offer, which TLS-ALPN-01 validation needs.
            listen.Use(next => new ClientHelloAlpnMiddleware(next, () => state.Current.UsesTlsAlpnChallenge, ClientHelloTimeout).OnConnectionAsync);
            listen.UseHttps(new TlsHandshakeCallbackOptions
            {
                OnConnection = selector.SelectAsync,
                HandshakeTimeout = HandshakeTimeout,
            });
            listen.Use(ClientHelloAlpn.CloseAcmeTlsConnections);
        });
        if (config.Listen.Http is { } http)
        {
            kestrel.Listen(http, listen => listen.Protocols = HttpProtocols.Http1);
        }
    }

    private void LogStarted(GatewayConfig config)
    {
        if (!_logger.IsEnabled(LogLevel.Information))
        {
            return;
        }
        var snapshot = _state.Current;
        var httpNote = config.Listen.Http is { } http ? $", HTTP redirect on {http}" : "";
        var https = config.Listen.Https.ToString();
        GatewayLog.Started(_logger, Version.Current, https, httpNote, snapshot.Sites.Count, config.SourcePath);
        foreach (var site in snapshot.Sites)
        {
            var certificate = site.Config.Tls.Acme ? $"ACME from {config.Tls.Acme.Directory} (data_dir/certs/acme)"
                : site.Config.Tls.SelfSigned ? "self-signed (data_dir/certs/self-signed)" : site.Config.Tls.CertPath!;
            var hosts = string.Join(", ", site.Config.Hosts);
            GatewayLog.SiteReady(_logger, site.Name, hosts, certificate);
        }
    }

    /// <summary>
    /// Builds a new generation from <paramref name="config"/> and swaps it in; on failure the running one stays and
    /// the errors are returned. Listener addresses, limits, proxy and log settings need a restart and are kept.
    /// </summary>
    public async Task<IReadOnlyList<string>> ReloadAsync(GatewayConfig config)
    {
        GatewaySnapshot? previous;
        lock (_reloadLock)
        {
            var running = _state.Current.Config;
            config = KeepRestartOnlySettings(running, config);
            var (snapshot, errors) = _builder.Build(config);
            if (snapshot is null)
            {
                foreach (var error in errors)
                {
                    GatewayLog.ReloadRejected(_logger, error);
                }
                return errors;
            }
            previous = _state.Swap(snapshot);
            GatewayLog.Reloaded(_logger, config.SourcePath, snapshot.Sites.Count);
            _app.Services.GetRequiredService<Acme.AcmeCertificateManager>().Sync(snapshot);
        }
        // Requests in flight hold their own reference to the old generation; retiring it only stops its health checks.
        await previous.DisposeAsync();
        ClearVerdictsOfUncheckedUpstreams(_state.Current);
        return [];
    }

    /// <summary>
    /// An upstream the old generation's active check failed, and that no active check watches any more, would stay out
    /// forever: nothing would ever bring it back. Done after the old checks stopped, so none can overwrite it.
    /// </summary>
    private static void ClearVerdictsOfUncheckedUpstreams(GatewaySnapshot snapshot)
    {
        var routes = snapshot.Sites.SelectMany(s => s.Routes).ToList();
        var checkedUpstreams = routes.Where(r => r.Config.HealthCheck.Path is not null).SelectMany(r => r.Pool.Upstreams)
            .Select(u => u.Prefix).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var upstream in routes.SelectMany(r => r.Pool.Upstreams).Where(u => !checkedUpstreams.Contains(u.Prefix)))
        {
            upstream.Health.SetActive(true);
        }
    }

    private GatewayConfig KeepRestartOnlySettings(GatewayConfig running, GatewayConfig next)
    {
        if (!Equals(running.Listen.Https, next.Listen.Https) || !Equals(running.Listen.Http, next.Listen.Http))
        {
            GatewayLog.NeedsRestart(_logger, "listen");
        }
        if (running.Limits != next.Limits)
        {
            GatewayLog.NeedsRestart(_logger, "limits");
        }
        if (running.Proxy != next.Proxy)
        {
            GatewayLog.NeedsRestart(_logger, "proxy");
        }
        if (running.Log != next.Log || running.DataDir != next.DataDir)
        {
            GatewayLog.NeedsRestart(_logger, running.Log != next.Log ? "log" : "data_dir");
        }
        return next with { Listen = running.Listen, Limits = running.Limits, Proxy = running.Proxy, Log = running.Log, DataDir = running.DataDir };
    }

    public Task WaitForShutdownAsync(CancellationToken cancellationToken) => _app.WaitForShutdownAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _app.Services.GetRequiredService<Acme.AcmeCertificateManager>().DisposeAsync();
        await _app.StopAsync(CancellationToken.None);
        _rejections?.Dispose();
        await _state.Current.DisposeAsync();
        await _app.DisposeAsync();
    }
}
