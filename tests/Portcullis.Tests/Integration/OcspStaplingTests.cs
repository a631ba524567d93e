using System.Diagnostics;
using System.Runtime.Versioning;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using Portcullis.Tests.TestSupport;
using Xunit.Abstractions;

namespace Portcullis.Tests.Integration;

/// <summary>
/// OCSP stapling (TLS Certificate Status Request, RFC 6066 §8; in TLS 1.3 the status rides in the Certificate
/// message, RFC 8446 §4.4.2.1) as a real client sees it: <c>openssl s_client -status</c> against the real gateway, whose
/// certificate names a real <c>openssl ocsp</c> responder (<see cref="OcspResponder"/>). .NET on Linux fetches the
/// response in the background (HTTP GET, RFC 6960 Appendix A.1) when the certificate context is built, so the first
/// handshakes may go out without a staple: every positive check polls until a deadline.
/// </summary>
/// <remarks>
/// .NET fetches only for a context built online whose chain reaches a self-signed root. Our private root is not in
/// this machine's trust store, so the in-process tests append it to the certificate file (it is not sent: .NET trims
/// the root); <see cref="RealProgram_RootTrustedBySystem_LeafAndIntermediateFileStapled"/> covers an operator's
/// setup instead: leaf + intermediate file, root trusted by the system (SSL_CERT_FILE for the child process).
/// </remarks>
[SupportedOSPlatform("linux")] // /usr/bin/openssl, and the fetch-and-staple behaviour tested is .NET's Linux (OpenSSL) implementation
public sealed partial class OcspStaplingTests(ITestOutputHelper output)
{
    /// <summary>Measured here: the first staple is out 0.15–0.6 s after the gateway starts; 20 s only bounds a loaded CI machine.</summary>
    private static readonly TimeSpan StapleDeadline = TimeSpan.FromSeconds(20);

    [Theory]
    [InlineData("-tls1_2")]
    [InlineData("-tls1_3")]
    public async Task Handshake_LeafWithOcspUrl_ClientSeesGoodStaple(string version)
    {
        await using var responder = await OcspResponder.CreateAsync();
        var started = Stopwatch.StartNew();
        await using var gateway = await StartGatewayAsync(Site("app", OcspResponder.LeafHost, responder.LeafChainWithRootPath, responder.LeafKeyPath));

        var result = await WaitForStapleAsync(responder, gateway.HttpsPort, OcspResponder.LeafHost, [version]);
        output.WriteLine($"first staple {started.ElapsedMilliseconds} ms after the gateway was started; responder log:\n{responder.Log}");

        Assert.Equal(version == "-tls1_2" ? "TLSv1.2" : "TLSv1.3", result.Protocol);
        Assert.Contains("OCSP Response Status: successful", result.Stdout, StringComparison.Ordinal);
        Assert.Equal("good", CertStatus(result));
        // The staple is our responder's answer (delegated signer, RFC 6960 §4.2.2.2) about this very leaf.
        Assert.Contains("Responder Id: O = Portcullis Tests, CN = OCSP Responder", result.Stdout, StringComparison.Ordinal);
        Assert.Equal(LeafSerial(responder), StapleSerial(result));
        // The gateway fetched it (GET), and served leaf + intermediate only although the file also holds the root.
        Assert.NotEmpty(responder.GetRequests);
        Assert.Equal(2, ChainEntry().Count(result.Stdout));
    }

    [Fact]
    public async Task Handshake_LeafWithoutOcspUrl_NoStapleAndNoError()
    {
        await using var responder = await OcspResponder.CreateAsync();
        await using var gateway = await StartGatewayAsync(
            Site("app", OcspResponder.LeafHost, responder.LeafChainWithRootPath, responder.LeafKeyPath),
            Site("plain", OcspResponder.PlainHost, responder.PlainChainWithRootPath, responder.PlainKeyPath));
        // Control: the same gateway, PKI and responder staple for the leaf that has the URL.
        await WaitForStapleAsync(responder, gateway.HttpsPort, OcspResponder.LeafHost);

        var plain = await ProbeAsync(gateway.HttpsPort, OcspResponder.PlainHost);

        Assert.True(plain.HandshakeSucceeded, plain.Describe());
        Assert.Equal($"O = Portcullis Tests, CN = {OcspResponder.PlainHost}", plain.Subject);
        Assert.Contains("OCSP response: no response sent", plain.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Handshake_LeafRevoked_StapleSaysRevoked()
    {
        await using var responder = await OcspResponder.CreateAsync();
        await responder.RevokeLeafAsync();
        var control = await responder.QueryLeafAsync();
        Assert.True(OcspResponder.LeafStatus(control) == "revoked", control.Describe());
        await using var gateway = await StartGatewayAsync(Site("app", OcspResponder.LeafHost, responder.LeafChainWithRootPath, responder.LeafKeyPath));

        var result = await WaitForStapleAsync(responder, gateway.HttpsPort, OcspResponder.LeafHost);

        // .NET staples a verified "revoked" answer as readily as a "good" one: the client, not the server, decides.
        Assert.Equal("revoked", CertStatus(result));
        Assert.Contains("Revocation Reason: keyCompromise", result.Stdout, StringComparison.Ordinal);
        Assert.Equal(LeafSerial(responder), StapleSerial(result));
    }

    [Fact]
    public async Task Handshake_ResponderDown_SucceedsWithoutStapleUntilResponderReturns()
    {
        await using var responder = await OcspResponder.CreateAsync(start: false);
        await using var gateway = await StartGatewayAsync(Site("app", OcspResponder.LeafHost, responder.LeafChainWithRootPath, responder.LeafKeyPath));

        // Several handshakes over a second (the first fetch is refused at once): each completes, none has a staple.
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < 5 || watch.Elapsed < TimeSpan.FromSeconds(1); i++)
        {
            var down = await ProbeAsync(gateway.HttpsPort, OcspResponder.LeafHost);
            Assert.True(down.HandshakeSucceeded, down.Describe());
            Assert.Contains("OCSP response: no response sent", down.Stdout, StringComparison.Ordinal);
        }

        // With no staple cached, .NET starts a new fetch on the next handshake after a failed one (its 5 s back-off
        // applies only while an unexpired staple is cached).
        await responder.StartAsync();
        var back = Stopwatch.StartNew();
        var result = await WaitForStapleAsync(responder, gateway.HttpsPort, OcspResponder.LeafHost);
        output.WriteLine($"staple {back.ElapsedMilliseconds} ms after the responder came back");

        Assert.Equal("good", CertStatus(result));
    }

    [Fact]
    public async Task Handshake_ResponderStoppedAfterFetch_CachedStapleStillServed()
    {
        await using var responder = await OcspResponder.CreateAsync();
        await using var gateway = await StartGatewayAsync(Site("app", OcspResponder.LeafHost, responder.LeafChainWithRootPath, responder.LeafKeyPath));
        var first = await WaitForStapleAsync(responder, gateway.HttpsPort, OcspResponder.LeafHost);

        await responder.StopAsync();
        var later = await ProbeAsync(gateway.HttpsPort, OcspResponder.LeafHost);

        Assert.True(later.HandshakeSucceeded, later.Describe());
        Assert.Equal("good", CertStatus(later));
        Assert.Equal(ProducedAt(first), ProducedAt(later));
    }

    [Fact]
    public async Task Handshake_RevokedWhileStapleFresh_CachedGoodStapleKept()
    {
        // nextUpdate an hour ahead: .NET refreshes at min(24 h, nextUpdate - 5 min), i.e. not for 55 minutes.
        await using var responder = await OcspResponder.CreateAsync(nextUpdateMinutes: 60);
        await using var gateway = await StartGatewayAsync(Site("app", OcspResponder.LeafHost, responder.LeafChainWithRootPath, responder.LeafKeyPath));
        var first = await WaitForStapleAsync(responder, gateway.HttpsPort, OcspResponder.LeafHost);
        var fetches = responder.GetRequests.Count;

        await responder.RevokeLeafAsync();
        for (var i = 0; i < 5; i++)
        {
            var result = await ProbeAsync(gateway.HttpsPort, OcspResponder.LeafHost);
            Assert.Equal("good", CertStatus(result));
            Assert.Equal(ProducedAt(first), ProducedAt(result));
        }

        Assert.Equal(fetches, responder.GetRequests.Count);
    }

    [Fact]
    public async Task Handshake_StapleWithinFiveMinutesOfNextUpdate_RefetchedAndRevocationServed()
    {
        // nextUpdate = now + 5 min puts .NET's refresh time (nextUpdate - 5 min) at the fetch itself: the next
        // handshake starts a background fetch and keeps serving the cached staple until it completes.
        await using var responder = await OcspResponder.CreateAsync(nextUpdateMinutes: 5);
        await using var gateway = await StartGatewayAsync(Site("app", OcspResponder.LeafHost, responder.LeafChainWithRootPath, responder.LeafKeyPath));
        var first = await WaitForStapleAsync(responder, gateway.HttpsPort, OcspResponder.LeafHost);
        Assert.Equal("good", CertStatus(first));

        await responder.RevokeLeafAsync();
        var revoked = await WaitForStapleAsync(responder, gateway.HttpsPort, OcspResponder.LeafHost, condition: r => CertStatus(r) == "revoked");

        Assert.Contains("Revocation Reason: keyCompromise", revoked.Stdout, StringComparison.Ordinal);
        Assert.True(responder.GetRequests.Count >= 2, responder.Log);
    }

    [Fact]
    public async Task Handshake_ResponseWithoutNextUpdate_StapledFromOneFetch()
    {
        // No nextUpdate (RFC 6960 §2.4): .NET still staples it and does not fetch again per handshake.
        await using var responder = await OcspResponder.CreateAsync(nextUpdateMinutes: null);
        await using var gateway = await StartGatewayAsync(Site("app", OcspResponder.LeafHost, responder.LeafChainWithRootPath, responder.LeafKeyPath));
        var first = await WaitForStapleAsync(responder, gateway.HttpsPort, OcspResponder.LeafHost);
        Assert.DoesNotContain("Next Update:", first.Stdout, StringComparison.Ordinal);
        var fetches = responder.GetRequests.Count;

        for (var i = 0; i < 5; i++)
        {
            var result = await ProbeAsync(gateway.HttpsPort, OcspResponder.LeafHost);
            Assert.Equal("good", CertStatus(result));
        }

        Assert.Equal(fetches, responder.GetRequests.Count);
    }

    [Theory]
    [InlineData("leaf+intermediate, root unknown")]
    [InlineData("leaf only, intermediate downloadable")]
    public async Task Handshake_ChainNotReachingRoot_NoStapleAndNothingDownloaded(string file)
    {
        await using var responder = await OcspResponder.CreateAsync();
        var cert = file.StartsWith("leaf only", StringComparison.Ordinal) ? responder.LeafOnlyPath : responder.LeafChainPath;
        await using var gateway = await StartGatewayAsync(Site("app", OcspResponder.LeafHost, cert, responder.LeafKeyPath));

        // Over a second of handshakes (a fetch takes ~0.1 s here): no staple, and the gateway neither asked the
        // responder nor fetched the missing intermediate from the caIssuers URL (it serves the chain as configured).
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < 5 || watch.Elapsed < TimeSpan.FromSeconds(1); i++)
        {
            var result = await ProbeAsync(gateway.HttpsPort, OcspResponder.LeafHost);
            Assert.True(result.HandshakeSucceeded, result.Describe());
            Assert.Contains("OCSP response: no response sent", result.Stdout, StringComparison.Ordinal);
        }

        Assert.True(responder.GetRequests.Count == 0, responder.Log);
    }

    [Fact]
    public async Task RealProgram_RootTrustedBySystem_LeafAndIntermediateFileStapled()
    {
        await using var responder = await OcspResponder.CreateAsync();
        using var dir = new TempDirectory();
        var httpsPort = TestPorts.GetFree();
        var config = dir.Write("portcullis.yaml", $$"""
            listen: { https: "127.0.0.1:{{httpsPort}}", http: "127.0.0.1:{{TestPorts.GetFree()}}" }
            data_dir: "{{dir.Combine("data")}}"
            sites:
            {{Site("app", OcspResponder.LeafHost, responder.LeafChainPath, responder.LeafKeyPath)}}
            """);
        // SSL_CERT_FILE replaces the system trust bundle for the child only: the private root is "system trusted" there.
        await using var program = RunningPortcullis.Start(["run", "--config", config], new Dictionary<string, string> { ["SSL_CERT_FILE"] = responder.RootPath });
        await Eventually.TrueAsync(() =>
        {
            Assert.False(program.HasExited, $"portcullis exited\n{program.Output}");
            return OpenSsl.ConnectAsync(httpsPort, "-servername", OcspResponder.LeafHost).GetAwaiter().GetResult().HandshakeSucceeded;
        }, "portcullis run accepts TLS", TimeSpan.FromSeconds(30));

        var result = await WaitForStapleAsync(responder, httpsPort, OcspResponder.LeafHost, ["-CAfile", responder.RootPath]);

        Assert.Equal("good", CertStatus(result));
        Assert.Contains("Verify return code: 0 (ok)", result.Stdout, StringComparison.Ordinal);
    }

    // ---- helpers

    /// <summary>One YAML site entry; upstreams are never contacted (the tests only handshake).</summary>
    private static string Site(string name, string host, string certPath, string keyPath) => $$"""
          - name: {{name}}
            hosts: [{{host}}]
            tls: { cert: "{{certPath}}", key: "{{keyPath}}" }
            routes: [{ path: /, upstreams: ["http://127.0.0.1:9"] }]
        """;

    private static Task<TestGateway> StartGatewayAsync(params string[] sites) => TestGateway.StartAsync(
        "listen: { https: \"{https}\", http: \"{http}\" }\ndata_dir: \"{data}\"\nsites:\n" + string.Join('\n', sites));

    private static Task<OpenSsl.Result> ProbeAsync(int port, string host, params string[] extra) =>
        OpenSsl.ConnectAsync(port, ["-servername", host, "-status", .. extra]);

    /// <summary>Handshakes until one carries a staple that meets <paramref name="condition"/>; every handshake must succeed.</summary>
    private static async Task<OpenSsl.Result> WaitForStapleAsync(OcspResponder responder, int port, string host, string[]? extra = null,
        Func<OpenSsl.Result, bool>? condition = null)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var result = await ProbeAsync(port, host, extra ?? []);
            Assert.True(result.HandshakeSucceeded, result.Describe());
            if (result.Stdout.Contains("OCSP Response Data:", StringComparison.Ordinal) && (condition?.Invoke(result) ?? true))
            {
                return result;
            }
            Assert.True(watch.Elapsed < StapleDeadline,
                $"no matching OCSP staple within {StapleDeadline.TotalSeconds} s\n{result.Describe()}\n--- responder\n{responder.Log}");
            await Task.Delay(50);
        }
    }

    private static string? CertStatus(OpenSsl.Result result) => CertStatusLine().Match(result.Stdout) is { Success: true } m ? m.Groups[1].Value : null;

    private static string? StapleSerial(OpenSsl.Result result) => SerialLine().Match(result.Stdout) is { Success: true } m ? m.Groups[1].Value : null;

    private static string? ProducedAt(OpenSsl.Result result) => ProducedAtLine().Match(result.Stdout) is { Success: true } m ? m.Groups[1].Value : null;

    private static string LeafSerial(OcspResponder responder)
    {
        using var leaf = X509Certificate2.CreateFromPem(File.ReadAllText(responder.LeafOnlyPath));
        return leaf.SerialNumber.TrimStart('0');
    }

    /// <summary>An entry of s_client's "Certificate chain" list (" 0 s:O = ..., CN = app.test"): one per certificate the server sent.</summary>
    [GeneratedRegex(@"^\s*\d+ s:", RegexOptions.Multiline)]
    private static partial Regex ChainEntry();

    [GeneratedRegex(@"^\s*Cert Status: (\S+)", RegexOptions.Multiline)]
    private static partial Regex CertStatusLine();

    [GeneratedRegex(@"^\s*Serial Number: ([0-9A-F]+)", RegexOptions.Multiline)]
    private static partial Regex SerialLine();

    [GeneratedRegex(@"^\s*Produced At: (.+)$", RegexOptions.Multiline)]
    private static partial Regex ProducedAtLine();
}
