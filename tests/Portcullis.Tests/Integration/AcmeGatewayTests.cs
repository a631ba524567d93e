using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Portcullis.Acme;
using Portcullis.Configuration;
using Portcullis.Hosting;
using Portcullis.Tests.TestSupport;

namespace Portcullis.Tests.Integration;

/// <summary>
/// The gateway gets, serves, keeps and renews certificates from a real ACME CA (pebble on loopback, its validator
/// pointed at the gateway's own listeners through pebble-challtestsrv answering 127.0.0.1 for every name).
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")] // pebble from Debian, Unix file modes
public sealed class AcmeGatewayTests
{
    private static readonly TimeSpan IssueDeadline = TimeSpan.FromSeconds(30);

    private static readonly GatewayHostOptions FastRetries = new()
    {
        MinimumLogLevel = LogLevel.Warning,
        Acme = new AcmeManagerOptions { RetryBase = TimeSpan.FromMilliseconds(500), RetryMax = TimeSpan.FromSeconds(2) },
    };

    [Theory]
    [InlineData("http-01")]
    [InlineData("tls-alpn-01")]
    public async Task Run_AcmeSite_ServesAPebbleCertificateWithin30Seconds(string challenge)
    {
        var (httpsPort, httpPort) = (TestPorts.GetFree(), TestPorts.GetFree());
        await using var pebble = await PebbleServer.StartAsync(new PebbleServerOptions { HttpPort = httpPort, TlsPort = httpsPort });
        await using var origin = await TestOrigin.StartAsync("app");
        using var root = await pebble.GetRootAsync();

        await using var gateway = await TestGateway.StartAsync(Config(pebble, origin.Url, challenge), httpsPort: httpsPort, httpPort: httpPort, options: FastRetries);
        using var served = await WaitForCertificateFromAsync(gateway, pebble, root);

        Assert.Contains("app.test", CertificateNames(served));
        Assert.Contains("www.app.test", CertificateNames(served));
        var keyFile = Path.Combine(gateway.Directory, "data", "certs", "acme", "app.key");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
        using var client = gateway.CreateClient();
        using var response = await client.GetAsync(new Uri("https://app.test/"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var status = Status(gateway);
        Assert.Equal(1, status.Issued);
        Assert.Equal(0, status.Failures);
    }

    [Theory]
    [InlineData("http-01")]
    [InlineData("tls-alpn-01")]
    public async Task PortcullisRun_AcmeSite_ServesAPebbleCertificateWithin30Seconds(string challenge)
    {
        var (httpsPort, httpPort) = (TestPorts.GetFree(), TestPorts.GetFree());
        await using var pebble = await PebbleServer.StartAsync(new PebbleServerOptions { HttpPort = httpPort, TlsPort = httpsPort });
        await using var origin = await TestOrigin.StartAsync("app");
        using var root = await pebble.GetRootAsync();
        using var dir = new TempDirectory();
        var yaml = TestGateway.Expand(Config(pebble, origin.Url, challenge), dir, httpsPort, httpPort);
        var configPath = dir.Write("portcullis.yaml", yaml);

        await using var run = RunningPortcullis.Start("run", "--config", configPath);
        X509Certificate2? served = null;
        await Eventually.TrueAsync(() =>
        {
            Assert.False(run.HasExited, $"portcullis run exited: {run.Output}");
            served?.Dispose();
            served = TryServedCertificate(httpsPort, root);
            return served is not null;
        }, "portcullis run serves a pebble-issued certificate", IssueDeadline);

        Assert.Contains("app.test", CertificateNames(served!));
        Assert.Contains("serving a temporary self-signed certificate", run.Output, StringComparison.Ordinal);
        await Eventually.TrueAsync(() => run.Output.Contains("certificate issued for app.test, www.app.test", StringComparison.Ordinal), "the log says so");
        served!.Dispose();
    }

    [Fact]
    public async Task Run_CaRequiresExternalAccountBinding_ConfiguredCredentialsGetACertificate()
    {
        var (httpsPort, httpPort) = (TestPorts.GetFree(), TestPorts.GetFree());
        var macKey = System.Buffers.Text.Base64Url.EncodeToString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        await using var pebble = await PebbleServer.StartAsync(new PebbleServerOptions
        {
            HttpPort = httpPort, TlsPort = httpsPort, ExternalAccountBindingRequired = true,
            ExternalAccountMacKeys = new Dictionary<string, string> { ["kid-7"] = macKey },
        });
        await using var origin = await TestOrigin.StartAsync("app");
        using var root = await pebble.GetRootAsync();
        var yaml = Config(pebble, origin.Url, "http-01").Replace("challenge: http-01",
            $"challenge: http-01\n    external_account: {{ key_id: kid-7, hmac_key: \"{macKey}\" }}", StringComparison.Ordinal);

        await using var gateway = await TestGateway.StartAsync(yaml, httpsPort: httpsPort, httpPort: httpPort, options: FastRetries);
        using var served = await WaitForCertificateFromAsync(gateway, pebble, root);

        Assert.Equal(0, Status(gateway).Failures);
    }

    [Fact]
    public async Task Restart_ValidStoredCertificate_ReusedWithoutANewOrder()
    {
        var (httpsPort, httpPort) = (TestPorts.GetFree(), TestPorts.GetFree());
        await using var pebble = await PebbleServer.StartAsync(new PebbleServerOptions { HttpPort = httpPort, TlsPort = httpsPort });
        await using var origin = await TestOrigin.StartAsync("app");
        using var root = await pebble.GetRootAsync();
        using var dir = new TempDirectory();
        string firstSerial;
        await using (var first = await TestGateway.StartAsync(Config(pebble, origin.Url, "http-01"), dir, httpsPort, httpPort, FastRetries))
        {
            using var issued = await WaitForCertificateFromAsync(first, pebble, root);
            firstSerial = issued.SerialNumber;
        }
        var ordersBefore = pebble.OrdersCreated;

        await using var second = await TestGateway.StartAsync(Config(pebble, origin.Url, "http-01"), dir, httpsPort, httpPort, FastRetries);
        using var served = await ServedCertificateAsync(second.HttpsPort, "app.test");
        // The worker has looked at the stored certificate and planned its renewal: a worker that re-orders would have by now.
        await Eventually.TrueAsync(() => Status(second).NextAttempt is not null, "the worker plans the renewal");

        Assert.Equal(firstSerial, served.SerialNumber);
        Assert.True(Status(second).NextAttempt > DateTimeOffset.UtcNow + TimeSpan.FromDays(365), $"renewal planned at {Status(second).NextAttempt}");
        Assert.Equal(ordersBefore, pebble.OrdersCreated);
        Assert.Equal(0, Status(second).Issued);
    }

    [Fact]
    public async Task Reload_HostAdded_NewCertificateNamesItAndIsServed()
    {
        var (httpsPort, httpPort) = (TestPorts.GetFree(), TestPorts.GetFree());
        await using var pebble = await PebbleServer.StartAsync(new PebbleServerOptions { HttpPort = httpPort, TlsPort = httpsPort });
        await using var origin = await TestOrigin.StartAsync("app");
        using var root = await pebble.GetRootAsync();
        await using var gateway = await TestGateway.StartAsync(Config(pebble, origin.Url, "http-01"), httpsPort: httpsPort, httpPort: httpPort, options: FastRetries);
        using var first = await WaitForCertificateFromAsync(gateway, pebble, root);

        var yaml = gateway.Expand(Config(pebble, origin.Url, "http-01")).Replace("[app.test, www.app.test]", "[app.test, www.app.test, shop.app.test]", StringComparison.Ordinal);
        Assert.Empty(await gateway.Host.ReloadAsync(ConfigLoader.Parse(yaml, gateway.ConfigPath).Config!));

        X509Certificate2? served = null;
        await Eventually.TrueAsync(() =>
        {
            served?.Dispose();
            served = ServedCertificateAsync(gateway.HttpsPort, "shop.app.test", root).GetAwaiter().GetResult();
            return served is not null;
        }, $"a certificate naming the added host is served (status {Status(gateway)})", IssueDeadline);
        Assert.NotEqual(first.SerialNumber, served!.SerialNumber);
        Assert.Contains("app.test", CertificateNames(served));
        served.Dispose();
    }

    [Fact]
    public async Task TlsAlpnChallenge_ValidationHandshake_ChallengeCertificateThenTheConnectionIsClosed()
    {
        await using var origin = await TestOrigin.StartAsync("app");
        var yaml = Config(new Uri($"https://127.0.0.1:{TestPorts.GetFree()}/dir"), caBundle: null, origin.Url, "tls-alpn-01");
        await using var gateway = await TestGateway.StartAsync(yaml, options: FastRetries);
        var challenges = gateway.Host.Services.GetRequiredService<AcmeChallengeStores>();
        challenges.TlsAlpn.Publish("app.test", "token-1", "token-1.thumbprint");

        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, gateway.HttpsPort);
        await using var ssl = new SslStream(tcp.GetStream(), false);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "app.test",
            ApplicationProtocols = [new SslApplicationProtocol("acme-tls/1")],
            RemoteCertificateValidationCallback = (_, _, _, _) => true,
        }, timeout.Token);

        Assert.Equal("acme-tls/1", ssl.NegotiatedApplicationProtocol.ToString());
        using var presented = new X509Certificate2(ssl.RemoteCertificate!);
        Assert.Contains(presented.Extensions.Cast<X509Extension>(), e => e.Oid?.Value == "1.3.6.1.5.5.7.1.31" && e.Critical);
        // RFC 8737 §3: nothing is served over a validation connection; the gateway closes it.
        var read = 0;
        try
        {
            await ssl.WriteAsync("GET / HTTP/1.1\r\nHost: app.test\r\n\r\n"u8.ToArray(), timeout.Token);
            read = await ssl.ReadAsync(new byte[256], timeout.Token);
        }
        catch (IOException)
        {
            // closed while writing: also fine
        }
        Assert.Equal(0, read);
        // A normal handshake for the same name still gets the site's own certificate.
        using var normal = await ServedCertificateAsync(gateway.HttpsPort, "app.test");
        Assert.DoesNotContain(normal.Extensions.Cast<X509Extension>(), e => e.Oid?.Value == "1.3.6.1.5.5.7.1.31");
    }

    [Fact]
    public async Task Renewal_ShortLifetime_NewCertificateWhileAnOpenConnectionKeepsWorking()
    {
        var (httpsPort, httpPort) = (TestPorts.GetFree(), TestPorts.GetFree());
        // 15 s certificates: renewal is due with a third (5 s) left, so the first renewal comes ~10 s after issuance.
        await using var pebble = await PebbleServer.StartAsync(new PebbleServerOptions
        {
            HttpPort = httpPort, TlsPort = httpsPort, CertificateValidity = TimeSpan.FromSeconds(15),
        });
        await using var origin = await TestOrigin.StartAsync("app");
        using var root = await pebble.GetRootAsync();
        await using var gateway = await TestGateway.StartAsync(Config(pebble, origin.Url, "http-01"), httpsPort: httpsPort, httpPort: httpPort, options: FastRetries);
        using var first = await WaitForCertificateFromAsync(gateway, pebble, root);
        using var openConnection = gateway.CreateClient();
        using (var before = await openConnection.GetAsync(new Uri("https://app.test/")))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        X509Certificate2? renewed = null;
        await Eventually.TrueAsync(() =>
        {
            renewed?.Dispose();
            renewed = ServedCertificateAsync(gateway.HttpsPort, "app.test").GetAwaiter().GetResult();
            return renewed.SerialNumber != first.SerialNumber;
        }, "a renewed certificate is served", TimeSpan.FromSeconds(30));

        using var after = await openConnection.GetAsync(new Uri("https://app.test/"));
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.True(renewed!.NotAfter >= first.NotAfter);
        Assert.True(Status(gateway).Issued >= 2);
        renewed.Dispose();
    }

    [Fact]
    public async Task Renewal_CaGoesAway_OldCertificateStaysAndARetryIsScheduled()
    {
        var (httpsPort, httpPort) = (TestPorts.GetFree(), TestPorts.GetFree());
        var pebble = await PebbleServer.StartAsync(new PebbleServerOptions
        {
            HttpPort = httpPort, TlsPort = httpsPort, CertificateValidity = TimeSpan.FromSeconds(30),
        });
        await using var origin = await TestOrigin.StartAsync("app");
        TestGateway? gateway = null;
        try
        {
            using var root = await pebble.GetRootAsync();
            gateway = await TestGateway.StartAsync(Config(pebble, origin.Url, "http-01"), httpsPort: httpsPort, httpPort: httpPort, options: FastRetries);
            using var issued = await WaitForCertificateFromAsync(gateway, pebble, root);
            await pebble.DisposeAsync();

            await Eventually.TrueAsync(() => Status(gateway).Failures >= 1, "the renewal fails", TimeSpan.FromSeconds(40));

            var status = Status(gateway);
            Assert.NotNull(status.NextAttempt);
            Assert.True(status.NextAttempt > DateTimeOffset.UtcNow - TimeSpan.FromSeconds(1));
            Assert.Contains("127.0.0.1", status.LastError, StringComparison.Ordinal);
            using var served = await ServedCertificateAsync(gateway.HttpsPort, "app.test");
            Assert.Equal(issued.SerialNumber, served.SerialNumber);
        }
        finally
        {
            if (gateway is not null)
            {
                await gateway.DisposeAsync();
            }
            await pebble.DisposeAsync();
        }
    }

    [Fact]
    public async Task Start_DirectoryUnreachable_TemporaryCertificateAndTheGatewayServes()
    {
        await using var origin = await TestOrigin.StartAsync("app");
        var nowhere = TestPorts.GetFree();
        var yaml = Config(new Uri($"https://127.0.0.1:{nowhere}/dir"), caBundle: null, origin.Url, "http-01");

        await using var gateway = await TestGateway.StartAsync(yaml, options: FastRetries);
        await Eventually.TrueAsync(() => Status(gateway).Failures >= 2, "orders fail and are retried");

        var status = Status(gateway);
        Assert.Contains($"127.0.0.1:{nowhere}", status.LastError, StringComparison.Ordinal);
        Assert.Null(status.NotAfter);
        using var served = await ServedCertificateAsync(gateway.HttpsPort, "app.test");
        Assert.Contains("Portcullis self-signed", served.Subject, StringComparison.Ordinal);
        using var client = gateway.CreateClient();
        using var response = await client.GetAsync(new Uri("https://app.test/"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Start_IdentifierTheCaRefuses_ReportedWithTheProblemAndTheGatewayServes()
    {
        var (httpsPort, httpPort) = (TestPorts.GetFree(), TestPorts.GetFree());
        await using var pebble = await PebbleServer.StartAsync(new PebbleServerOptions { HttpPort = httpPort, TlsPort = httpsPort, DomainBlocklist = ["app.test"] });
        await using var origin = await TestOrigin.StartAsync("app");

        await using var gateway = await TestGateway.StartAsync(Config(pebble, origin.Url, "http-01"), httpsPort: httpsPort, httpPort: httpPort, options: FastRetries);
        await Eventually.TrueAsync(() => Status(gateway).Failures >= 1, "the order is refused");

        var status = Status(gateway);
        Assert.Contains("rejectedIdentifier", status.LastError, StringComparison.Ordinal);
        using var client = gateway.CreateClient();
        using var response = await client.GetAsync(new Uri("https://app.test/"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Start_ContactTheCaRefuses_ReportedWithTheProblemAndTheGatewayServes()
    {
        var (httpsPort, httpPort) = (TestPorts.GetFree(), TestPorts.GetFree());
        await using var pebble = await PebbleServer.StartAsync(new PebbleServerOptions { HttpPort = httpPort, TlsPort = httpsPort });
        await using var origin = await TestOrigin.StartAsync("app");
        var yaml = Config(pebble, origin.Url, "http-01").Replace("email: ops@app.test", "email: \"ops@app..test\"", StringComparison.Ordinal);

        await using var gateway = await TestGateway.StartAsync(yaml, httpsPort: httpsPort, httpPort: httpPort, options: FastRetries);
        await Eventually.TrueAsync(() => Status(gateway).Failures >= 1, "the account is refused");

        Assert.Contains("invalidContact", Status(gateway).LastError, StringComparison.Ordinal);
        using var client = gateway.CreateClient();
        using var response = await client.GetAsync(new Uri("https://app.test/"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Start_StoredCertificateNearExpiryAndCaDown_ServedWarnedAndMeasured()
    {
        await using var origin = await TestOrigin.StartAsync("app");
        using var dir = new TempDirectory();
        var acmeDir = Directory.CreateDirectory(Path.Combine(dir.Path, "data", "certs", "acme")).FullName;
        var now = DateTimeOffset.UtcNow;
        var (certPem, keyPem) = Certificate(["app.test", "www.app.test"], now.AddDays(-80), now.AddDays(10).AddHours(1));
        File.WriteAllText(Path.Combine(acmeDir, "app.crt"), certPem);
        File.WriteAllText(Path.Combine(acmeDir, "app.key"), keyPem);
        var logs = new RecordingLoggerProvider();
        var yaml = Config(new Uri($"https://127.0.0.1:{TestPorts.GetFree()}/dir"), caBundle: null, origin.Url, "http-01");

        await using var gateway = await TestGateway.StartAsync(yaml, dir, options: FastRetries with { LoggerProviders = [logs] });
        await Eventually.TrueAsync(() => Status(gateway).Failures >= 1, "the renewal (due: a third of the lifetime is left) fails");
        // The worker updates its status before it logs the failure: wait for the line too.
        await Eventually.TrueAsync(() => logs.Messages(1804).Any(), "the failed order is logged");

        Assert.Contains(logs.Messages(1805), m => m.Contains("expires in 10 day(s)", StringComparison.Ordinal));
        Assert.Contains(logs.Messages(1804), m => m.Contains("keeps serving the certificate valid until", StringComparison.Ordinal) && m.Contains("next attempt at", StringComparison.Ordinal));
        using var served = await ServedCertificateAsync(gateway.HttpsPort, "app.test");
        Assert.Equal("CN=app.test", served.Subject);
        var daysLeft = ObserveDaysLeft(gateway, "app");
        Assert.InRange(daysLeft, 10.0, 10.1);
    }

    private static string Config(PebbleServer pebble, string upstream, string challenge) => Config(pebble.DirectoryUrl, pebble.CaBundlePath, upstream, challenge);

    private static string Config(Uri directory, string? caBundle, string upstream, string challenge) => $$"""
        listen: { https: "{https}", http: "{http}" }
        data_dir: "{data}"
        tls:
          acme:
            directory: "{{directory}}"
            email: ops@app.test
            {{(caBundle is null ? "" : $"ca_bundle: \"{caBundle}\"")}}
            challenge: {{challenge}}
        sites:
          - name: app
            hosts: [app.test, www.app.test]
            tls: { acme: true }
            waf: { mode: off }
            routes: [{ path: /, upstreams: ["{{upstream}}"] }]
        """;

    private static (string CertPem, string KeyPem) Certificate(string[] hosts, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={hosts[0]}", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        foreach (var host in hosts)
        {
            san.AddDnsName(host);
        }
        request.CertificateExtensions.Add(san.Build());
        using var certificate = request.CreateSelfSigned(notBefore, notAfter);
        return (certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }

    /// <summary>Reads portcullis.certificate.days_left for a site from this gateway's meter.</summary>
    private static double ObserveDaysLeft(TestGateway gateway, string site)
    {
        var meter = gateway.Host.Services.GetRequiredService<Portcullis.Observability.CertificateMetrics>().Meter;
        double? value = null;
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter == meter && instrument.Name == "portcullis.certificate.days_left")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((_, measurement, tags, _) =>
        {
            if (tags.ToArray().Any(t => t.Key == "site" && (string?)t.Value == site))
            {
                value = measurement;
            }
        });
        listener.Start();
        listener.RecordObservableInstruments();
        return value ?? throw new InvalidOperationException($"no days_left measurement for site {site}");
    }

    private static AcmeSiteStatus Status(TestGateway gateway) =>
        gateway.Host.Services.GetRequiredService<AcmeCertificateManager>().Status("app") ?? throw new InvalidOperationException("no ACME worker for site app");

    /// <summary>Polls handshakes until the served chain verifies against pebble's root.</summary>
    private static async Task<X509Certificate2> WaitForCertificateFromAsync(TestGateway gateway, PebbleServer pebble, X509Certificate2 root)
    {
        X509Certificate2? served = null;
        await Eventually.TrueAsync(() =>
        {
            served?.Dispose();
            served = ServedCertificateAsync(gateway.HttpsPort, "app.test", root).GetAwaiter().GetResult();
            return served is not null;
        }, $"a pebble-issued certificate is served (acme status: {Status(gateway)}; pebble: {pebble.Output[^Math.Min(2000, pebble.Output.Length)..]})", IssueDeadline);
        return served!;
    }

    private static X509Certificate2? TryServedCertificate(int port, X509Certificate2 root)
    {
        try
        {
            return ServedCertificateAsync(port, "app.test", root).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is SocketException or IOException or System.Security.Authentication.AuthenticationException or OperationCanceledException)
        {
            return null; // not listening yet
        }
    }

    private static HashSet<string> CertificateNames(X509Certificate2 certificate) => Portcullis.Tls.CertificateNames.Of(certificate);

    private static async Task<X509Certificate2> ServedCertificateAsync(int port, string serverName) =>
        await ServedCertificateAsync(port, serverName, trustedRoot: null) ?? throw new InvalidOperationException("no certificate");

    /// <summary>
    /// The leaf a fresh handshake with <paramref name="serverName"/> gets; with <paramref name="trustedRoot"/>, null
    /// unless the chain the server presented verifies up to that root for that name.
    /// </summary>
    private static async Task<X509Certificate2?> ServedCertificateAsync(int port, string serverName, X509Certificate2? trustedRoot)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        var verified = trustedRoot is null;
        await using var ssl = new SslStream(tcp.GetStream(), false);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = serverName,
            RemoteCertificateValidationCallback = (_, certificate, presented, errors) =>
            {
                if (trustedRoot is not null && certificate is not null && presented is not null)
                {
                    using var chain = new X509Chain();
                    chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    chain.ChainPolicy.CustomTrustStore.Add(trustedRoot);
                    chain.ChainPolicy.ExtraStore.AddRange(presented.ChainPolicy.ExtraStore);
                    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    chain.ChainPolicy.DisableCertificateDownloads = true;
                    verified = chain.Build(new X509Certificate2(certificate)) && (errors & SslPolicyErrors.RemoteCertificateNameMismatch) == 0;
                }
                return true;
            },
        }, timeout.Token);
        return verified ? new X509Certificate2(ssl.RemoteCertificate!) : null;
    }
}
