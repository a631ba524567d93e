using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Portcullis.Tests.TestSupport;

/// <summary>
/// A real upstream application on a loopback port. Every path answers with JSON naming this origin and echoing
/// what it received; /health answers 200 or 503 as <see cref="Healthy"/> says; /slow?ms=N waits. It sends the
/// version banners a gateway must strip.
/// </summary>
internal sealed class TestOrigin : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _requests;
    private int _healthRequests;

    private TestOrigin(WebApplication app, string name)
    {
        _app = app;
        Name = name;
    }

    public string Name { get; }

    public volatile bool Healthy = true;

    public int Port { get; private set; }

    public string Url => $"http://127.0.0.1:{Port}";

    public int Requests => Volatile.Read(ref _requests);

    /// <summary>How many of <see cref="Requests"/> were the gateway's health checks.</summary>
    public int HealthRequests => Volatile.Read(ref _healthRequests);

    public static async Task<TestOrigin> StartAsync(string name, int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        var origin = new TestOrigin(app, name);
        app.Run(origin.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        origin.Port = new Uri(address).Port;
        return origin;
    }

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        var request = context.Request;
        context.Response.Headers["X-Powered-By"] = "TestOrigin/1.0";
        context.Response.Headers["X-AspNet-Version"] = "4.0.30319";
        if (request.Path == "/health")
        {
            Interlocked.Increment(ref _healthRequests);
            context.Response.StatusCode = Healthy ? 200 : 503;
            await context.Response.WriteAsync(Healthy ? "ok" : "down");
            return;
        }
        if (request.Path == "/slow" && int.TryParse(request.Query["ms"], out var ms))
        {
            await Task.Delay(ms, context.RequestAborted);
        }
        if (request.Path == "/frame-ancestors")
        {
            context.Response.Headers.ContentSecurityPolicy = "frame-ancestors 'self'";
        }
        var headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var body = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["origin"] = Name,
            ["path"] = request.Path.Value ?? "",
            ["query"] = request.QueryString.Value ?? "",
            ["headers"] = headers,
        });
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
