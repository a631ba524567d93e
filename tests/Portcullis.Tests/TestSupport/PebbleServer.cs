using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Portcullis.Tests.TestSupport;

/// <summary>
/// The real pebble ACME test CA (/usr/bin/pebble) with pebble-challtestsrv as its DNS server, which answers
/// 127.0.0.1 for every name, so pebble's validator connects to the test's own challenge servers on
/// <see cref="HttpPort"/> and <see cref="TlsPort"/>. pebble's HTTPS certificate is made here and signed by a
/// throw-away CA (<see cref="CaBundlePath"/>). Both processes are killed on dispose.
/// </summary>
internal sealed class PebbleServer : IAsyncDisposable
{
    public const string PebbleExecutable = "/usr/bin/pebble";
    public const string ChallTestSrvExecutable = "/usr/bin/pebble-challtestsrv";

    /// <summary>pebble starts in well under a second; 20 s only bounds a broken install so the test fails instead of hanging.</summary>
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);

    private readonly TempDirectory _directory = new();
    private readonly ConcurrentQueue<string> _output = new();
    private readonly List<Process> _processes = [];
    private int _ordersCreated;

    private PebbleServer(PebbleServerOptions options)
    {
        HttpPort = options.HttpPort ?? TestPorts.GetFree();
        TlsPort = options.TlsPort ?? TestPorts.GetFree();
        ListenPort = TestPorts.GetFree();
        ManagementPort = TestPorts.GetFree();
        DnsPort = TestPorts.GetFree();
        DirectoryUrl = new Uri($"https://127.0.0.1:{ListenPort}/dir");
        CaBundlePath = _directory.Combine("pebble-tls-ca.pem");
    }

    public Uri DirectoryUrl { get; }

    /// <summary>PEM of the CA that signed pebble's HTTPS certificate: what AcmeClientOptions.CaBundlePath must trust.</summary>
    public string CaBundlePath { get; }

    public int HttpPort { get; }

    public int TlsPort { get; }

    public int ListenPort { get; }

    public int ManagementPort { get; }

    public int DnsPort { get; }

    /// <summary>Orders pebble created so far, counted from its "Added order" log lines.</summary>
    public int OrdersCreated => Volatile.Read(ref _ordersCreated);

    /// <summary>Everything both processes printed, for failure messages.</summary>
    public string Output => string.Join('\n', _output);

    public static async Task<PebbleServer> StartAsync(PebbleServerOptions? options = null)
    {
        options ??= new PebbleServerOptions();
        var server = new PebbleServer(options);
        try
        {
            await server.StartCoreAsync(options);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>pebble's issuing root (management API /roots/0); pebble makes a new one on every start.</summary>
    public async Task<X509Certificate2> GetRootAsync()
    {
        using var http = CreateHttpClient();
        var pem = await http.GetStringAsync(new Uri($"https://127.0.0.1:{ManagementPort}/roots/0"));
        return X509Certificate2.CreateFromPem(pem);
    }

    /// <summary>An HttpClient that trusts pebble's HTTPS certificate (for the management API).</summary>
    public HttpClient CreateHttpClient()
    {
        var ca = X509Certificate2.CreateFromPem(File.ReadAllText(CaBundlePath));
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
        {
            if (certificate is null)
            {
                return false;
            }
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(ca);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            return chain.Build(new X509Certificate2(certificate));
        };
        return new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                    using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                    await process.WaitForExitAsync(deadline.Token);
                }
            }
            catch (Exception e) when (e is InvalidOperationException or OperationCanceledException or System.ComponentModel.Win32Exception)
            {
                // Already gone, or not killable: nothing more a test can do.
            }
            process.Dispose();
        }
        _directory.Dispose();
    }

    private async Task StartCoreAsync(PebbleServerOptions options)
    {
        var (certificatePath, keyPath) = WriteTlsCertificate();
        var configPath = _directory.Write("pebble-config.json", BuildConfig(options, certificatePath, keyPath));

        var challtestsrv = Start(ChallTestSrvExecutable,
            ["-defaultIPv4", "127.0.0.1", "-defaultIPv6", "",
             "-dns01", $"127.0.0.1:{DnsPort}", "-http01", "", "-https01", "", "-tlsalpn01", "",
             "-management", $"127.0.0.1:{TestPorts.GetFree()}"],
            new Dictionary<string, string>(), "challtestsrv");
        await WaitForAsync(() => Output.Contains("Starting challenge servers", StringComparison.Ordinal), challtestsrv, "pebble-challtestsrv DNS");

        var pebble = Start(PebbleExecutable, ["-config", configPath, "-dnsserver", $"127.0.0.1:{DnsPort}"],
            new Dictionary<string, string>
            {
                ["PEBBLE_VA_NOSLEEP"] = "1",
                ["PEBBLE_WFE_NONCEREJECT"] = options.NonceRejectPercent.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["PEBBLE_AUTHZREUSE"] = options.AuthorizationReusePercent.ToString(System.Globalization.CultureInfo.InvariantCulture),
            }, "pebble");
        using var http = CreateHttpClient();
        var watch = Stopwatch.StartNew();
        while (true)
        {
            ThrowIfExited(pebble, "pebble");
            try
            {
                using var response = await http.GetAsync(DirectoryUrl);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            if (watch.Elapsed > StartTimeout)
            {
                throw new TimeoutException($"pebble did not serve {DirectoryUrl} within {StartTimeout.TotalSeconds} s:\n{Output}");
            }
            await Task.Delay(50);
        }
    }

    private Process Start(string executable, IEnumerable<string> arguments, Dictionary<string, string> environment, string tag)
    {
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = _directory.Path,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Record(tag, e.Data);
        process.ErrorDataReceived += (_, e) => Record(tag, e.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException($"cannot start {executable}");
        }
        _processes.Add(process);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.StandardInput.Close();
        return process;
    }

    private void Record(string tag, string? line)
    {
        if (line is null)
        {
            return;
        }
        // Bounded: a test that loops must not grow the log without limit.
        if (_output.Count < 20_000)
        {
            _output.Enqueue($"[{tag}] {line}");
        }
        if (line.Contains("Added order ", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _ordersCreated);
        }
    }

    private async Task WaitForAsync(Func<bool> condition, Process process, string what)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            ThrowIfExited(process, what);
            if (watch.Elapsed > StartTimeout)
            {
                throw new TimeoutException($"{what} did not start within {StartTimeout.TotalSeconds} s:\n{Output}");
            }
            await Task.Delay(20);
        }
    }

    private void ThrowIfExited(Process process, string what)
    {
        if (process.HasExited)
        {
            throw new InvalidOperationException($"{what} exited with code {process.ExitCode}:\n{Output}");
        }
    }

    /// <summary>A CA and a leaf for 127.0.0.1/localhost signed by it, like pebble's own test minica.</summary>
    private (string Certificate, string Key) WriteTlsCertificate()
    {
        var now = DateTimeOffset.UtcNow;
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=Portcullis test pebble TLS CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        using var ca = caRequest.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(2));

        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var leafRequest = new CertificateRequest("CN=localhost", leafKey, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(IPAddress.Loopback);
        leafRequest.CertificateExtensions.Add(san.Build());
        leafRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        leafRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        leafRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        using var leaf = leafRequest.Create(ca, now.AddMinutes(-5), now.AddDays(1), RandomNumberGenerator.GetBytes(12));

        File.WriteAllText(CaBundlePath, ca.ExportCertificatePem());
        var certificatePath = _directory.Write("pebble-tls.pem", leaf.ExportCertificatePem());
        var keyPath = _directory.Write("pebble-tls.key", leafKey.ExportPkcs8PrivateKeyPem());
        return (certificatePath, keyPath);
    }

    private string BuildConfig(PebbleServerOptions options, string certificatePath, string keyPath)
    {
        var pebble = new JsonObject
        {
            ["listenAddress"] = $"127.0.0.1:{ListenPort}",
            ["managementListenAddress"] = $"127.0.0.1:{ManagementPort}",
            ["certificate"] = certificatePath,
            ["privateKey"] = keyPath,
            ["httpPort"] = HttpPort,
            ["tlsPort"] = TlsPort,
            ["ocspResponderURL"] = "",
            ["externalAccountBindingRequired"] = options.ExternalAccountBindingRequired,
        };
        if (options.ExternalAccountMacKeys.Count > 0)
        {
            var keys = new JsonObject();
            foreach (var (id, key) in options.ExternalAccountMacKeys)
            {
                keys[id] = key;
            }
            pebble["externalAccountMACKeys"] = keys;
        }
        if (options.DomainBlocklist.Count > 0)
        {
            pebble["domainBlocklist"] = new JsonArray(options.DomainBlocklist.Select(d => (JsonNode?)JsonValue.Create(d)).ToArray());
        }
        if (options.CertificateValidity is { } validity)
        {
            pebble["certificateValidityPeriod"] = (long)validity.TotalSeconds;
        }
        return new JsonObject { ["pebble"] = pebble }.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }
}
