using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Portcullis.CrsTest;

/// <summary>
/// An in-process stand-in for CRS's test backend albedo (github.com/coreruleset/albedo) on a loopback port the OS
/// picks: every request gets 200 with an empty body, except <c>POST /reflect</c> (and paths under <c>/reflect/</c>,
/// as Go's mux pattern <c>"POST /reflect/"</c> matches), which answers as its JSON body says
/// (<see cref="AlbedoReflection"/>). albedo's <c>/capabilities</c> and <c>/configure_reflection</c> are not needed by
/// the CRS tests and are not provided (they get the empty 200).
/// </summary>
internal sealed class AlbedoOrigin : IAsyncDisposable
{
    /// <summary>Go's http.Server reads request heads of up to DefaultMaxHeaderBytes (1 MiB); Kestrel's defaults are smaller.</summary>
    private const int MaxHeadBytes = 1024 * 1024;

    /// <summary>A reflection specification is small; bound what is read of one.</summary>
    private const int MaxReflectBody = 16 * 1024 * 1024;

    private readonly WebApplication _app;
    private int _requests;

    private AlbedoOrigin(WebApplication app) => _app = app;

    public int Port { get; private set; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");

    public int Requests => Volatile.Read(ref _requests);

    public static async Task<AlbedoOrigin> StartAsync(CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0);
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestLineSize = MaxHeadBytes;
            kestrel.Limits.MaxRequestHeadersTotalSize = MaxHeadBytes;
            kestrel.Limits.MaxRequestHeaderCount = 10_000;
            kestrel.Limits.MaxRequestBodySize = 64 * 1024 * 1024;
            // Go writes header values as the UTF-8 bytes of its strings.
            kestrel.ResponseHeaderEncodingSelector = _ => Encoding.UTF8;
        });
        var app = builder.Build();
        var origin = new AlbedoOrigin(app);
        app.Run(origin.HandleAsync);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        origin.Port = new Uri(address).Port;
        return origin;
    }

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        var request = context.Request;
        var path = request.Path.Value ?? "/";
        if (!HttpMethods.IsPost(request.Method) || !(path == "/reflect" || path.StartsWith("/reflect/", StringComparison.Ordinal)))
        {
            // albedo's default handler writes nothing: 200, empty body.
            return;
        }
        var body = await ReadBodyAsync(request, context.RequestAborted);
        var reply = body is null
            ? new AlbedoReply(400, [], Encoding.UTF8.GetBytes("Failed to parse request body"))
            : AlbedoReflection.Reply(body);
        await WriteAsync(context.Response, reply, context.RequestAborted);
    }

    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > MaxReflectBody)
                {
                    return null;
                }
                buffer.Write(chunk, 0, read);
            }
        }
        catch (Exception e) when (e is IOException or BadHttpRequestException)
        {
            return null;
        }
        return buffer.ToArray();
    }

    private static async Task WriteAsync(HttpResponse response, AlbedoReply reply, CancellationToken cancellationToken)
    {
        response.StatusCode = reply.Status;
        foreach (var (name, value) in reply.Headers)
        {
            // Go replaces CR and LF in values with spaces and drops fields whose names are not tokens; Kestrel
            // refuses other control characters, so those fields are dropped too.
            var cleaned = value.Replace('\r', ' ').Replace('\n', ' ');
            if (name.Length == 0 || !name.All(GoHeaderKey.IsTokenChar) || cleaned.Any(c => c < ' ' && c != '\t' || c == '\x7f'))
            {
                continue;
            }
            try
            {
                response.Headers.Append(name, cleaned);
            }
            catch (InvalidOperationException)
            {
                // A header Kestrel will not let an application set; albedo's Go server would not send it usefully either.
            }
        }
        if (reply.Body.Length == 0 || !AlbedoReflection.AllowsBody(reply.Status))
        {
            return;
        }
        response.ContentLength = reply.Body.Length;
        await response.Body.WriteAsync(reply.Body, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
