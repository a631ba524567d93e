using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Portcullis.Acme.Challenges;

namespace Portcullis.Tests.Acme;

/// <summary>
/// A tiny Kestrel server on 127.0.0.1 that answers http-01 validation requests from an <see cref="AcmeChallengeStore"/>,
/// standing in for the gateway's port-80 listener; it records which host/token pebble's validator asked for.
/// </summary>
internal sealed class HttpChallengeServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private HttpChallengeServer(WebApplication app) => _app = app;

    public ConcurrentQueue<string> Requests { get; } = new();

    public static async Task<HttpChallengeServer> StartAsync(int port, AcmeChallengeStore store)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        var server = new HttpChallengeServer(app);
        app.MapGet("/.well-known/acme-challenge/{token}", (HttpContext context, string token) =>
        {
            server.Requests.Enqueue($"{context.Request.Host.Host} {token}");
            return store.TryGetHttpResponse(token, out var keyAuthorization)
                ? Results.Text(keyAuthorization, "application/octet-stream")
                : Results.NotFound();
        });
        await app.StartAsync();
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
