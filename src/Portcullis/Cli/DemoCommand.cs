using System.CommandLine;
using System.Net;
using Portcullis.Configuration;
using Portcullis.Demo;
using Portcullis.Hosting;
using Portcullis.Tls;
using YamlDotNet.RepresentationModel;

namespace Portcullis.Cli;

/// <summary>
/// <c>portcullis demo</c>: no config needed. Starts the built-in demo application on a loopback port and the
/// gateway in front of it with a self-signed certificate, prints what to try, and stops cleanly on Ctrl-C.
/// </summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var https = new Option<string>("--https") { Description = "HTTPS listen address.", DefaultValueFactory = _ => "127.0.0.1:8443", HelpName = "ADDR:PORT" };
        var http = new Option<string>("--http") { Description = "HTTP (redirect) listen address, or 'off'.", DefaultValueFactory = _ => "127.0.0.1:8080", HelpName = "ADDR:PORT" };
        var dataDir = new Option<string>("--data-dir") { Description = "Where keys, certificates and logs go.", DefaultValueFactory = _ => "./portcullis-data", HelpName = "DIR" };
        var crs = new Option<string?>("--crs") { Description = "OWASP Core Rule Set folder for the web application firewall (default: $PORTCULLIS_CRS).", HelpName = "DIR" };
        var command = new Command("demo", "Run the gateway in front of a built-in demo application (HTTPS on 127.0.0.1:8443).") { https, http, dataDir, crs };
        command.SetAction((parse, ct) => RunAsync(parse.GetValue(https)!, parse.GetValue(http)!, parse.GetValue(dataDir)!,
            parse.GetValue(crs) ?? Environment.GetEnvironmentVariable("PORTCULLIS_CRS"), ct));
        return command;
    }

    public static async Task<int> RunAsync(string https, string http, string dataDir, string? crs, CancellationToken cancellationToken)
    {
        if (crs is not null && !Directory.Exists(Path.Combine(crs, "rules")))
        {
            await Console.Error.WriteLineAsync($"--crs: '{Path.GetFullPath(crs)}' is not a Core Rule Set folder (no rules/ inside).");
            return ExitCodes.UsageOrConfigError;
        }
        var errors = new ConfigErrorList("command line");
        var httpsEndpoint = SectionReader.Endpoint(new YamlScalarNode(https), "--https", errors);
        var httpEndpoint = http is "off" ? null : SectionReader.Endpoint(new YamlScalarNode(http), "--http", errors);
        if (httpsEndpoint is null || (http is not "off" && httpEndpoint is null))
        {
            foreach (var error in errors.Errors)
            {
                await Console.Error.WriteLineAsync(error.Message);
            }
            return ExitCodes.UsageOrConfigError;
        }
        await using var app = await DemoApplication.StartAsync(new IPEndPoint(IPAddress.Loopback, 0), cancellationToken);
        var config = CreateConfig(httpsEndpoint, httpEndpoint, Path.GetFullPath(dataDir), app.BaseAddress) with
        {
            Waf = new WafConfig { CrsPath = crs is null ? null : Path.GetFullPath(crs) },
        };
        return await RunCommand.ServeAsync(config, watchPath: null, new GatewayHostOptions(), cancellationToken, _ => PrintWelcome(config));
    }

    /// <summary>The demo's config: one site for localhost and the loopback addresses, forwarding to the demo app.</summary>
    public static GatewayConfig CreateConfig(IPEndPoint https, IPEndPoint? http, string dataDir, Uri demoApp) => new()
    {
        SourcePath = "(demo)",
        DataDir = dataDir,
        Listen = new ListenConfig { Https = https, Http = http },
        Tls = new TlsConfig(),
        TrustedProxies = [],
        Headers = HeadersConfig.Empty,
        Limits = new LimitsConfig(),
        Proxy = new ProxyConfig(),
        Log = new LogConfig(),
        Sites =
        [
            new SiteConfig
            {
                Name = "demo",
                Hosts = ["localhost", "127.0.0.1", "::1"],
                IsDefault = true,
                Tls = new SiteTlsConfig(),
                Headers = HeadersConfig.Empty,
                Routes =
                [
                    new RouteConfig
                    {
                        Path = "/",
                        Upstreams = [demoApp],
                        HealthCheck = new HealthCheckConfig { Path = "/healthz" },
                    },
                ],
            },
        ],
    };

    private static void PrintWelcome(GatewayConfig config)
    {
        var port = config.Listen.Https.Port;
        var baseUrl = port == 443 ? "https://localhost" : $"https://localhost:{port}";
        var waf = config.Waf.CrsPath is { } crsPath
            ? $"blocking, OWASP CRS from {crsPath} at paranoia level {config.Waf.Paranoia}; matches in logs/security.log"
            : "blocking, but no OWASP CRS given (--crs DIR or PORTCULLIS_CRS): only request-body checks run";
        var attack = config.Waf.CrsPath is null ? "" : $"  curl -ki '{baseUrl}/search?q=1%27%20OR%20%271%27=%271'   → 403 from the WAF, with the request id\n";
        var redirect = config.Listen.Http is { } h ? $"  curl -i http://localhost:{h.Port}/search?q=shoes   → 308 to HTTPS, path and query kept\n" : "";
        var certificate = new SelfSignedCertificates(config.DataDir, TimeProvider.System).CertPath(config.Sites[0].Name);
        var audit = $"  portcullis audit localhost:{port} --http-port {config.Listen.Http?.Port ?? 0} --ca {certificate}   → TLS A+, HTTP A+\n";
        Console.WriteLine($"""

            Portcullis demo is running.
              Open  {baseUrl}/   (self-signed certificate: your browser will warn once)
              Data  {config.DataDir}  (certificate in certs/self-signed/, access log in logs/access.log)
              WAF   {waf}

            Try:
              curl -ki {baseUrl}/                     → security headers added, Server/X-Powered-By removed
              curl -ki '{baseUrl}/search?q=shoes'     → a search form behind the gateway
              curl -ki {baseUrl}/api/items            → a JSON API
              curl -ki {baseUrl}/cookie               → a page that sets a cookie
              curl -ki '{baseUrl}/slow?ms=2000'       → a slow answer (routes time out after 60 s → 504)
            {attack}{redirect}{audit}
            Press Ctrl-C to stop.
            """);
    }
}
