using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Portcullis.Acme.Protocol;
using Portcullis.Tests.TestSupport;

namespace Portcullis.Tests.Acme;

/// <summary>
/// RFC 9773 renewal information. pebble 2.4 (Debian 12) has no renewalInfo, so a small loopback HTTP server plays
/// the CA's directory and renewalInfo endpoints (both are unauthenticated GETs, §4.1), answering with the RFC's
/// own example body.
/// </summary>
public sealed class AcmeRenewalInfoTests : IAsyncLifetime
{
    private readonly ConcurrentQueue<string> _requests = new();
    private WebApplication? _app;
    private string _window = """{"start":"2025-01-02T04:00:00Z","end":"2025-01-03T04:00:00Z"}""";
    private string _retryAfter = "21600";
    private int _port;

    public async Task InitializeAsync()
    {
        _port = TestPorts.GetFree();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, _port));
        _app = builder.Build();
        var origin = $"http://127.0.0.1:{_port}";
        _app.MapGet("/dir", () => Results.Text(
            $$"""{"newNonce":"{{origin}}/nonce","newAccount":"{{origin}}/acct","newOrder":"{{origin}}/order","renewalInfo":"{{origin}}/renewal-info"}""",
            "application/json"));
        _app.MapGet("/renewal-info/{id}", (HttpContext context, string id) =>
        {
            _requests.Enqueue(id);
            context.Response.Headers.RetryAfter = _retryAfter;
            return Results.Text(
                $$"""{"suggestedWindow":{{_window}},"explanationURL":"https://acme.example.com/docs/ari"}""",
                "application/json");
        });
        await _app.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    [Fact]
    public async Task GetRenewalInfoAsync_CaWithRenewalInfo_GetsCertIdPathAndParsesWindow()
    {
        using var key = AcmeAccountKey.CreateEphemeral();
        using var client = await AcmeClient.CreateAsync(new AcmeClientOptions { Directory = new Uri($"http://127.0.0.1:{_port}/dir") }, key, CancellationToken.None);
        using var leaf = IssuedLeaf();

        var window = await client.GetRenewalInfoAsync(leaf, CancellationToken.None);

        Assert.NotNull(window);
        Assert.Equal(AriCertificateId.For(leaf), Assert.Single(_requests));
        Assert.Equal(new DateTimeOffset(2025, 1, 2, 4, 0, 0, TimeSpan.Zero), window.Start);
        Assert.Equal(new DateTimeOffset(2025, 1, 3, 4, 0, 0, TimeSpan.Zero), window.End);
        Assert.Equal(new Uri("https://acme.example.com/docs/ari"), window.ExplanationUrl);
        Assert.Equal(TimeSpan.FromHours(6), window.RetryAfter);
    }

    [Fact]
    public async Task GetRenewalInfoAsync_EndNotAfterStart_ThrowsInvalidWindow()
    {
        _window = """{"start":"2025-01-03T04:00:00Z","end":"2025-01-03T04:00:00Z"}""";
        using var key = AcmeAccountKey.CreateEphemeral();
        using var client = await AcmeClient.CreateAsync(new AcmeClientOptions { Directory = new Uri($"http://127.0.0.1:{_port}/dir") }, key, CancellationToken.None);
        using var leaf = IssuedLeaf();

        var error = await Assert.ThrowsAsync<AcmeException>(() => client.GetRenewalInfoAsync(leaf, CancellationToken.None));

        Assert.Contains("suggestedWindow", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetRenewalInfoAsync_RetryAfterBelowOneMinute_ClampedToOneMinute()
    {
        _retryAfter = "5";
        using var key = AcmeAccountKey.CreateEphemeral();
        using var client = await AcmeClient.CreateAsync(new AcmeClientOptions { Directory = new Uri($"http://127.0.0.1:{_port}/dir") }, key, CancellationToken.None);
        using var leaf = IssuedLeaf();

        var window = await client.GetRenewalInfoAsync(leaf, CancellationToken.None);

        Assert.Equal(TimeSpan.FromMinutes(1), window?.RetryAfter);
    }

    private static X509Certificate2 IssuedLeaf()
    {
        using var issuerKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=leaf.example.com", leafKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromSubjectKeyIdentifier(RandomNumberGenerator.GetBytes(20)));
        var now = DateTimeOffset.UtcNow;
        return request.Create(new X500DistinguishedName("CN=Issuer"), X509SignatureGenerator.CreateForECDsa(issuerKey), now, now.AddDays(1), [0x9A, 0x01]);
    }
}
