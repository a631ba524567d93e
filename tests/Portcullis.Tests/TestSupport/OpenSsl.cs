using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;

namespace Portcullis.Tests.TestSupport;

/// <summary>
/// Runs the real OpenSSL command-line tool (/usr/bin/openssl): <c>s_client</c> as an independent TLS client for the
/// handshake tests, <c>req</c> and <c>x509</c> to make certificates the way an operator would. Every call has a
/// timeout and its stdin is closed at once (as with &lt;/dev/null) unless the test feeds it input.
/// </summary>
internal static partial class OpenSsl
{
    public const string Executable = "/usr/bin/openssl";

    /// <summary>A loopback handshake takes milliseconds; 10 s only bounds a hung client so a test fails instead of hanging.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Runs openssl with <paramref name="arguments"/>; <paramref name="input"/> is written to stdin, which is closed after <paramref name="holdInputOpen"/> (or at once).</summary>
    public static async Task<Result> RunAsync(IEnumerable<string> arguments, string? workingDirectory = null, string? input = null,
        TimeSpan holdInputOpen = default, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(Executable)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        var commandLine = "openssl " + string.Join(' ', start.ArgumentList);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {commandLine}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout ?? DefaultTimeout);
        var timedOut = false;
        try
        {
            if (input is not null)
            {
                await process.StandardInput.WriteAsync(input);
                await process.StandardInput.FlushAsync();
                if (holdInputOpen > TimeSpan.Zero)
                {
                    // s_client acts on input lines only while stdin is open: end of input makes it close the connection.
                    using var hold = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token);
                    hold.CancelAfter(holdInputOpen);
                    try
                    {
                        await process.WaitForExitAsync(hold.Token);
                    }
                    catch (OperationCanceledException)
                    {
                        // Still running after the hold: close stdin below and let it finish.
                    }
                }
            }
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The process exited (or closed stdin) before reading its input; the exit code tells the rest.
        }
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            timedOut = true;
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // It exited between the timeout and the kill.
            }
            await process.WaitForExitAsync(CancellationToken.None);
        }
        return new Result(commandLine, timedOut ? -1 : process.ExitCode, await stdout, await stderr, timedOut);
    }

    /// <summary><c>openssl s_client -connect 127.0.0.1:port</c> with extra arguments, stdin closed (connect, handshake, close).</summary>
    public static Task<Result> ConnectAsync(int port, params string[] arguments) =>
        RunAsync(["s_client", "-connect", $"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}", .. arguments]);

    /// <summary>
    /// A three-level RSA-2048 PKI in <paramref name="directory"/>: ca.pem (root), intermediate.pem, leaf.pem and
    /// leaf.key for <paramref name="dnsName"/> (signed by the intermediate, SAN DNS:name) and chain.pem = leaf + intermediate.
    /// </summary>
    public static async Task<Pki> CreateRsaChainAsync(string directory, string dnsName)
    {
        Directory.CreateDirectory(directory);
        await File.WriteAllTextAsync(Path.Combine(directory, "intermediate.ext"),
            "basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n");
        await File.WriteAllTextAsync(Path.Combine(directory, "leaf.ext"),
            $"subjectAltName=DNS:{dnsName}\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n");
        // The three keys are independent: generate them in parallel (RSA key generation dominates the cost).
        await Task.WhenAll(
            Check(RunAsync(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "30",
                "-subj", "/O=Portcullis Tests/CN=Portcullis Test Root CA", "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign"], directory)),
            Check(RunAsync(["req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", "intermediate.key", "-out", "intermediate.csr",
                "-subj", "/O=Portcullis Tests/CN=Portcullis Test Intermediate CA"], directory)),
            Check(RunAsync(["req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", "leaf.key", "-out", "leaf.csr",
                "-subj", $"/O=Portcullis Tests/CN={dnsName}"], directory)));
        await Check(RunAsync(["x509", "-req", "-in", "intermediate.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-set_serial", "2",
            "-days", "30", "-sha256", "-extfile", "intermediate.ext", "-out", "intermediate.pem"], directory));
        await Check(RunAsync(["x509", "-req", "-in", "leaf.csr", "-CA", "intermediate.pem", "-CAkey", "intermediate.key", "-set_serial", "3",
            "-days", "30", "-sha256", "-extfile", "leaf.ext", "-out", "leaf.pem"], directory));
        var chain = Path.Combine(directory, "chain.pem");
        await File.WriteAllTextAsync(chain,
            await File.ReadAllTextAsync(Path.Combine(directory, "leaf.pem")) + await File.ReadAllTextAsync(Path.Combine(directory, "intermediate.pem")));
        return new Pki(Path.Combine(directory, "ca.pem"), chain, Path.Combine(directory, "leaf.key"));
    }

    private static async Task<Result> Check(Task<Result> run)
    {
        var result = await run;
        Assert.True(result.ExitCode == 0, result.Describe());
        return result;
    }

    /// <summary>Files of <see cref="CreateRsaChainAsync"/>: the root to trust, the chain to serve (leaf first) and the leaf's key.</summary>
    public sealed record Pki(string CaPath, string ChainPath, string KeyPath);

    /// <summary>What an openssl run printed, with parsers for the <c>s_client</c> lines the tests look at.</summary>
    public sealed partial record Result(string CommandLine, int ExitCode, string Stdout, string Stderr, bool TimedOut)
    {
        public string Output => Stdout + "\n" + Stderr;

        /// <summary>s_client's summary line: "New, TLSv1.2, Cipher is ECDHE-RSA-AES128-GCM-SHA256", or "New, (NONE), Cipher is (NONE)" when the handshake failed.</summary>
        private Match Summary => SummaryLine().Match(Stdout);

        /// <summary>The negotiated protocol ("TLSv1.3"), or null when no handshake completed.</summary>
        public string? Protocol => Summary is { Success: true } m && m.Groups[1].Value != "(NONE)" ? m.Groups[1].Value : null;

        /// <summary>The negotiated cipher suite in OpenSSL's naming, or null when no handshake completed.</summary>
        public string? Cipher => Summary is { Success: true } m && m.Groups[2].Value != "(NONE)" ? m.Groups[2].Value : null;

        /// <summary>True when s_client completed a handshake and exited cleanly.</summary>
        public bool HandshakeSucceeded => !TimedOut && ExitCode == 0 && Protocol is not null && Cipher is not null;

        /// <summary>The ALPN protocol the server selected, or null ("No ALPN negotiated").</summary>
        public string? Alpn => AlpnLine().Match(Stdout) is { Success: true } m ? m.Groups[1].Value : null;

        /// <summary>The peer certificate's subject line as s_client prints it ("CN = rsa.test").</summary>
        public string? Subject => SubjectLine().Match(Stdout) is { Success: true } m ? m.Groups[1].Value.Trim() : null;

        /// <summary>PEM blocks in the output: with -showcerts every certificate the server sent, else the leaf only.</summary>
        public IReadOnlyList<string> PemCertificates => PemBlock().Matches(Stdout).Select(m => m.Value).ToList();

        /// <summary>The server's leaf certificate as printed by s_client.</summary>
        public X509Certificate2 LeafCertificate() =>
            X509Certificate2.CreateFromPem(PemCertificates is [var leaf, ..] ? leaf : throw new InvalidOperationException("no certificate in the output\n" + Describe()));

        public string Describe() => $"$ {CommandLine}\nexit {ExitCode}{(TimedOut ? " (timed out)" : "")}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";

        [GeneratedRegex(@"^New, (\S+), Cipher is (\S+)$", RegexOptions.Multiline)]
        private static partial Regex SummaryLine();

        [GeneratedRegex(@"^ALPN protocol: (\S+)$", RegexOptions.Multiline)]
        private static partial Regex AlpnLine();

        [GeneratedRegex(@"^subject=(.*)$", RegexOptions.Multiline)]
        private static partial Regex SubjectLine();

        [GeneratedRegex(@"-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\s]+?-----END CERTIFICATE-----")]
        private static partial Regex PemBlock();
    }
}
