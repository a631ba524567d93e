using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Portcullis.Tests.TestSupport;

namespace Portcullis.Tests.Audit.Targets;

/// <summary>
/// An in-process Kestrel server as an audit target, for header and cookie edge cases nginx makes awkward: HTTPS on a
/// free loopback port answering with the headers the test gives, and optionally a plain-HTTP listener whose answer
/// the test writes too (a redirect to another host, to http, ...).
/// </summary>
internal sealed class KestrelTarget : IAsyncDisposable
{
    private readonly WebApplication _app;

    private KestrelTarget(WebApplication app, int httpsPort, int httpPort)
    {
        _app = app;
        HttpsPort = httpsPort;
        HttpPort = httpPort;
    }

    public int HttpsPort { get; }

    /// <summary>The plain-HTTP port; closed unless <c>http</c> was given.</summary>
    public int HttpPort { get; }

    /// <param name="headers">Response headers of every HTTPS answer (repeat a name for several fields).</param>
    /// <param name="http">Answers plain-HTTP requests (the context's Request.Host is what the client sent); null: no HTTP listener.</param>
    public static async Task<KestrelTarget> StartAsync(OpenSsl.Pki pki, IEnumerable<(string Name, string Value)> headers,
        Action<HttpContext, int>? http = null, string body = "<!doctype html><title>t</title><p>hello</p>", string contentType = "text/html; charset=utf-8")
    {
        var httpsPort = TestPorts.GetFree();
        var httpPort = TestPorts.GetFree();
        using var leaf = X509Certificate2.CreateFromPemFile(pki.ChainPath, pki.KeyPath);
        // Kestrel on Linux needs the key in an exportable (PKCS#12-loaded) certificate.
        var certificate = X509CertificateLoader.LoadPkcs12(leaf.Export(X509ContentType.Pkcs12), null);
        // The whole chain, as nginx serves chain.pem: without the intermediate a client cannot verify the leaf.
        var chain = new X509Certificate2Collection();
        chain.ImportFromPemFile(pki.ChainPath);
        var fields = headers.ToList();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Listen(IPAddress.Loopback, httpsPort, o =>
            {
                o.Protocols = HttpProtocols.Http1AndHttp2;
                o.UseHttps(new HttpsConnectionAdapterOptions { ServerCertificate = certificate, ServerCertificateChain = chain });
            });
            if (http is not null)
            {
                k.Listen(IPAddress.Loopback, httpPort);
            }
        });
        var app = builder.Build();
        app.Run(async context =>
        {
            if (!context.Request.IsHttps)
            {
                http!(context, httpsPort);
                return;
            }
            foreach (var group in fields.GroupBy(f => f.Name, StringComparer.OrdinalIgnoreCase))
            {
                context.Response.Headers[group.Key] = group.Select(f => f.Value).ToArray();
            }
            context.Response.ContentType = contentType;
            await context.Response.WriteAsync(body);
        });
        await app.StartAsync();
        return new KestrelTarget(app, httpsPort, httpPort);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
