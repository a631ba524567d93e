using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Portcullis.Tests.TestSupport;

/// <summary>
/// A private PKI with a real OCSP responder (RFC 6960), both made by the OpenSSL command-line tool the way a small CA
/// operator would: root CA → intermediate CA, which issues (with <c>openssl ca</c>, so its <c>index.txt</c> database is
/// the one <c>openssl ocsp -index</c> reads) a delegated OCSP signing certificate (RFC 6960 §4.2.2.2, id-kp-OCSPSigning)
/// and two leaves: <see cref="LeafHost"/> whose Authority Information Access names the responder
/// (<c>OCSP;URI:http://127.0.0.1:PORT</c>, RFC 5280 §4.2.2.1; its caIssuers URL points at the responder too, so a
/// client that tried to download the intermediate shows up in <see cref="GetRequests"/>) and <see cref="PlainHost"/> without AIA.
/// The responder is <c>openssl ocsp -port PORT</c> run as a child process, killed in dispose and after
/// <see cref="MaxLifetime"/> whatever happens. OpenSSL 3.0's <c>-port</c> takes a number only, so it listens on all
/// interfaces ([::]); only 127.0.0.1 is ever contacted.
/// </summary>
/// <remarks>
/// The openssl CLI rather than .NET's CertificateRequest: <c>openssl ca</c> keeps the index.txt the responder serves
/// from and revokes with <c>-revoke</c>, so the database format is OpenSSL's own, not our guess of it. EC P-256 keys
/// because five RSA keys cost seconds on a shared two-core machine.
/// </remarks>
internal sealed partial class OcspResponder : IAsyncDisposable
{
    public const string LeafHost = "app.test";
    public const string PlainHost = "plain.test";

    /// <summary>Bounds a responder a crashed test run would otherwise leave listening.</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromMinutes(5);

    private readonly TempDirectory _dir;
    private readonly int? _nextUpdateMinutes;
    private readonly ConcurrentQueue<(DateTimeOffset At, string Line)> _log = new();
    private Process? _process;
    private CancellationTokenSource? _lifetime;

    private OcspResponder(TempDirectory dir, int port, int? nextUpdateMinutes)
    {
        _dir = dir;
        Port = port;
        _nextUpdateMinutes = nextUpdateMinutes;
    }

    /// <summary>The port in the leaf's AIA; fixed at issuance, so a restarted responder binds it again.</summary>
    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

    public string RootPath => _dir.Combine("ca.pem");

    /// <summary>leaf (<see cref="LeafHost"/>, with the OCSP URL) + intermediate: what an operator's "fullchain" file holds.</summary>
    public string LeafChainPath => _dir.Combine("app-chain.pem");

    /// <summary>leaf + intermediate + root: for a gateway whose system trust store does not hold this private root.</summary>
    public string LeafChainWithRootPath => _dir.Combine("app-chain-root.pem");

    /// <summary>The <see cref="LeafHost"/> leaf alone, its intermediate missing.</summary>
    public string LeafOnlyPath => _dir.Combine("app.pem");

    public string LeafKeyPath => _dir.Combine("app.key");

    /// <summary>leaf (<see cref="PlainHost"/>, no AIA) + intermediate + root.</summary>
    public string PlainChainWithRootPath => _dir.Combine("plain-chain-root.pem");

    public string PlainKeyPath => _dir.Combine("plain.key");

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>When the responder received a GET request: .NET fetches OCSP by GET (RFC 6960 Appendix A.1), and would fetch a
    /// missing intermediate from the caIssuers URL by GET too; our own probes POST.</summary>
    public IReadOnlyList<DateTimeOffset> GetRequests =>
        _log.Where(e => e.Line.Contains("1st line: GET ", StringComparison.Ordinal)).Select(e => e.At).ToList();

    public string Log => string.Join('\n', _log.Select(e => $"{e.At:HH:mm:ss.fff} {e.Line}"));

    /// <summary>
    /// Makes the PKI in a fresh directory and, when <paramref name="start"/>, starts the responder and waits until it
    /// answers. Responses carry nextUpdate = now + <paramref name="nextUpdateMinutes"/> (openssl <c>-nmin</c>), or
    /// none when null (RFC 6960 §2.4: then newer status information is available at any time).
    /// </summary>
    public static async Task<OcspResponder> CreateAsync(int? nextUpdateMinutes = 60, bool start = true)
    {
        var responder = new OcspResponder(new TempDirectory(), TestPorts.GetFree(), nextUpdateMinutes);
        try
        {
            await responder.CreatePkiAsync();
            if (start)
            {
                await responder.StartAsync();
            }
            return responder;
        }
        catch
        {
            await responder.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts <c>openssl ocsp</c> and returns once a real OCSP query over HTTP is answered.</summary>
    public async Task StartAsync()
    {
        Assert.False(IsRunning, "the responder is already running");
        var start = new ProcessStartInfo(OpenSsl.Executable)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _dir.Path,
        };
        // -CA: the responder answers only for certificates this CA issued; -rsigner/-rkey: the delegated signer;
        // -ignore_err: a malformed request must not end the responder (it would exit by default).
        string[] nextUpdate = _nextUpdateMinutes is { } minutes ? ["-nmin", minutes.ToString(CultureInfo.InvariantCulture)] : [];
        foreach (var argument in (string[])["ocsp", "-index", "index.txt", "-port", Port.ToString(CultureInfo.InvariantCulture),
            "-CA", "intermediate.pem", "-rsigner", "ocsp.pem", "-rkey", "ocsp.key", "-ignore_err", .. nextUpdate])
        {
            start.ArgumentList.Add(argument);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start openssl ocsp");
        process.ErrorDataReceived += (_, e) => Record(e.Data);
        process.OutputDataReceived += (_, e) => Record(e.Data);
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        process.StandardInput.Close();
        _process = process;
        _lifetime = new CancellationTokenSource(MaxLifetime);
        _lifetime.Token.Register(() => Kill(process));

        var watch = Stopwatch.StartNew();
        while (true)
        {
            Assert.False(process.HasExited, $"openssl ocsp exited with {(process.HasExited ? process.ExitCode : 0)}\n{Log}");
            var probe = await QueryLeafAsync();
            if (probe.ExitCode == 0 && LeafStatus(probe) is not null)
            {
                return;
            }
            Assert.True(watch.Elapsed < OpenSsl.DefaultTimeout, $"the OCSP responder did not answer within {OpenSsl.DefaultTimeout.TotalSeconds} s\n{probe.Describe()}\n{Log}");
            await Task.Delay(50);
        }
    }

    /// <summary>Stops the responder; the port is closed when this returns.</summary>
    public async Task StopAsync()
    {
        if (_process is not { } process)
        {
            return;
        }
        Kill(process);
        using var deadline = new CancellationTokenSource(OpenSsl.DefaultTimeout);
        await process.WaitForExitAsync(deadline.Token);
        process.Dispose();
        _process = null;
        _lifetime?.Dispose();
        _lifetime = null;
    }

    /// <summary>
    /// Revokes the <see cref="LeafHost"/> certificate in the CA database (<c>openssl ca -revoke</c>, reason
    /// keyCompromise) and restarts the responder if it ran. openssl ocsp re-reads index.txt only when its mtime
    /// changed by a whole second, so a restart is what makes the revocation visible at once.
    /// </summary>
    public async Task RevokeLeafAsync()
    {
        var wasRunning = IsRunning;
        await StopAsync();
        await Check(OpenSsl.RunAsync(["ca", "-config", "ca.cnf", "-revoke", "app.pem", "-crl_reason", "keyCompromise"], _dir.Path));
        if (wasRunning)
        {
            await StartAsync();
        }
    }

    /// <summary>Asks the responder about the <see cref="LeafHost"/> leaf as an OCSP client would (POST, nonce, signature verified against the root).</summary>
    public Task<OpenSsl.Result> QueryLeafAsync() =>
        OpenSsl.RunAsync(["ocsp", "-issuer", "intermediate.pem", "-cert", "app.pem", "-url", Url, "-CAfile", "ca.pem", "-timeout", "5"], _dir.Path);

    /// <summary>"good", "revoked" or "unknown" from an <see cref="QueryLeafAsync"/> result whose signature verified; else null.</summary>
    public static string? LeafStatus(OpenSsl.Result query) =>
        query.Stderr.Contains("Response verify OK", StringComparison.Ordinal) && StatusLine().Match(query.Stdout) is { Success: true } m
            ? m.Groups[1].Value
            : null;

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        finally
        {
            _dir.Dispose();
        }
    }

    private void Record(string? line)
    {
        if (line is not null)
        {
            _log.Enqueue((DateTimeOffset.UtcNow, line));
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }

    private async Task CreatePkiAsync()
    {
        var dir = _dir.Path;
        Directory.CreateDirectory(_dir.Combine("newcerts"));
        await File.WriteAllTextAsync(_dir.Combine("index.txt"), "");
        await File.WriteAllTextAsync(_dir.Combine("serial"), "1000\n");
        await File.WriteAllTextAsync(_dir.Combine("intermediate.ext"), "basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n");
        await File.WriteAllTextAsync(_dir.Combine("ca.cnf"), CaConfig(Url));

        string[] ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"];
        await Task.WhenAll(
            Check(OpenSsl.RunAsync(["req", "-x509", .. ec, "-keyout", "ca.key", "-out", "ca.pem", "-days", "30",
                "-subj", "/O=Portcullis Tests/CN=Portcullis OCSP Test Root", "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign"], dir)),
            Check(OpenSsl.RunAsync(["req", "-new", .. ec, "-keyout", "intermediate.key", "-out", "intermediate.csr",
                "-subj", "/O=Portcullis Tests/CN=Portcullis OCSP Test Intermediate"], dir)),
            Check(OpenSsl.RunAsync(["req", "-new", .. ec, "-keyout", "ocsp.key", "-out", "ocsp.csr", "-subj", "/O=Portcullis Tests/CN=OCSP Responder"], dir)),
            Check(OpenSsl.RunAsync(["req", "-new", .. ec, "-keyout", "app.key", "-out", "app.csr", "-subj", $"/O=Portcullis Tests/CN={LeafHost}"], dir)),
            Check(OpenSsl.RunAsync(["req", "-new", .. ec, "-keyout", "plain.key", "-out", "plain.csr", "-subj", $"/O=Portcullis Tests/CN={PlainHost}"], dir)));
        await Check(OpenSsl.RunAsync(["x509", "-req", "-in", "intermediate.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-set_serial", "2",
            "-days", "30", "-sha256", "-extfile", "intermediate.ext", "-out", "intermediate.pem"], dir));
        // openssl ca writes index.txt and the serial file: one issuance at a time.
        foreach (var (name, section) in ((string, string)[])[("ocsp", "ocsp_signer"), ("app", "leaf_with_ocsp"), ("plain", "leaf_plain")])
        {
            await Check(OpenSsl.RunAsync(["ca", "-batch", "-notext", "-config", "ca.cnf", "-extensions", section,
                "-in", $"{name}.csr", "-out", $"{name}.pem"], dir));
        }
        var root = await File.ReadAllTextAsync(RootPath);
        var intermediate = await File.ReadAllTextAsync(_dir.Combine("intermediate.pem"));
        var app = await File.ReadAllTextAsync(_dir.Combine("app.pem"));
        var plain = await File.ReadAllTextAsync(_dir.Combine("plain.pem"));
        await File.WriteAllTextAsync(LeafChainPath, app + intermediate);
        await File.WriteAllTextAsync(LeafChainWithRootPath, app + intermediate + root);
        await File.WriteAllTextAsync(PlainChainWithRootPath, plain + intermediate + root);
    }

    /// <summary>The intermediate CA as <c>openssl ca</c> sees it, with one extension section per kind of certificate it issues.</summary>
    private static string CaConfig(string ocspUrl) => $"""
        [ca]
        default_ca = intermediate_ca

        [intermediate_ca]
        dir = .
        database = index.txt
        new_certs_dir = newcerts
        certificate = intermediate.pem
        private_key = intermediate.key
        serial = serial
        default_md = sha256
        default_days = 30
        policy = any_name
        unique_subject = no

        [any_name]
        organizationName = optional
        commonName = supplied

        [ocsp_signer]
        basicConstraints = critical,CA:FALSE
        keyUsage = critical,digitalSignature
        extendedKeyUsage = critical,OCSPSigning
        subjectKeyIdentifier = hash
        authorityKeyIdentifier = keyid

        [leaf_with_ocsp]
        subjectAltName = DNS:{LeafHost}
        basicConstraints = critical,CA:FALSE
        keyUsage = critical,digitalSignature
        extendedKeyUsage = serverAuth
        subjectKeyIdentifier = hash
        authorityKeyIdentifier = keyid
        authorityInfoAccess = OCSP;URI:{ocspUrl},caIssuers;URI:{ocspUrl}/intermediate.der

        [leaf_plain]
        subjectAltName = DNS:{PlainHost}
        basicConstraints = critical,CA:FALSE
        keyUsage = critical,digitalSignature
        extendedKeyUsage = serverAuth
        subjectKeyIdentifier = hash
        authorityKeyIdentifier = keyid

        """;

    private static async Task Check(Task<OpenSsl.Result> run)
    {
        var result = await run;
        Assert.True(result.ExitCode == 0, result.Describe());
    }

    [GeneratedRegex(@"^app\.pem: (good|revoked|unknown)$", RegexOptions.Multiline)]
    private static partial Regex StatusLine();
}
