using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Portcullis.Audit;
using Portcullis.Audit.Certificates;
using Portcullis.Audit.Tls;
using Portcullis.Cli;
using Portcullis.Tests.Integration;
using Portcullis.Tests.TestSupport;

namespace Portcullis.Tests.Cli;

/// <summary>
/// <c>portcullis audit</c> as a user runs it (the real program as a child process) against the real gateway on
/// loopback: JSON fields, --fail-under exit codes, an unreachable target, --self. One in-process test gives the
/// command a fixed stand-in TLS result to check how TLS results are rendered, graded with the HTTP half's HSTS and
/// counted for --fail-under; the others run the real TLS half (AuditRunner.Default).
/// </summary>
public sealed class AuditCommandTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Audit_Json_HasTheDocumentedFields()
    {
        await using var gateway = await StartGatewayAsync();

        var (exit, stdout, stderr) = await PortcullisProcess.RunAsync(
            ["audit", $"app.test:{gateway.HttpsPort}", "--ip", "127.0.0.1", "--ca", SelfSignedCa(gateway), "--http-port", $"{gateway.HttpPort}", "--json"], Deadline);

        Assert.True(exit == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        foreach (var field in new[] { "schema", "target", "startedAt", "timings", "protocols", "suites", "tls", "certificate", "http", "headers", "findings", "grades", "failUnder", "passed" })
        {
            Assert.True(root.TryGetProperty(field, out _), $"no '{field}' in\n{stdout}");
        }
        Assert.Equal("portcullis-audit/1", root.GetProperty("schema").GetString());
        Assert.Equal("app.test", root.GetProperty("target").GetProperty("sni").GetString());
        Assert.Equal(gateway.HttpsPort, root.GetProperty("target").GetProperty("port").GetInt32());
        Assert.True(root.GetProperty("timings").GetProperty("totalMs").GetInt64() > 0);
        Assert.True(root.GetProperty("http").GetProperty("certificateVerified").GetBoolean());
        Assert.Equal(63072000, root.GetProperty("http").GetProperty("hsts").GetProperty("maxAge").GetInt64());
        Assert.Contains(root.GetProperty("headers").EnumerateArray(), h => h.GetProperty("name").GetString()!.Equals("strict-transport-security", StringComparison.OrdinalIgnoreCase));
        // Worst first: the missing CSP, then the self-signed certificate's lack of an OCSP staple (it names no responder).
        var findings = root.GetProperty("findings").EnumerateArray().ToList();
        Assert.Equal(["http.csp.missing:http:medium", "tls.ocsp.not_stapled:tls:info"],
            findings.Select(f => $"{f.GetProperty("id").GetString()}:{f.GetProperty("area").GetString()}:{f.GetProperty("severity").GetString()}"));
        Assert.Contains("Content-Security-Policy", findings[0].GetProperty("portcullisFix").GetString(), StringComparison.Ordinal);
        Assert.Equal("B", root.GetProperty("grades").GetProperty("http").GetProperty("letter").GetString());
        // The TLS half is part of the program: protocols, the certificate and the SSL Labs grade are filled in.
        Assert.Equal("A+", root.GetProperty("grades").GetProperty("tls").GetProperty("letter").GetString());
        Assert.Equal(JsonValueKind.Array, root.GetProperty("protocols").ValueKind);
        Assert.True(root.GetProperty("certificate").GetProperty("trusted").GetBoolean(), stdout);
    }

    [Fact]
    public async Task Audit_FailUnder_ExitCodeFollowsTheGrade()
    {
        await using var gateway = await StartGatewayAsync();
        // The default gateway grades B on HTTP headers (no CSP; see HttpAuditorGatewayTests).
        (string Minimum, int Exit)[] rows = [("A+", ExitCodes.AuditBelowMinimum), ("A", ExitCodes.AuditBelowMinimum), ("B", ExitCodes.Ok), ("C", ExitCodes.Ok)];

        foreach (var (minimum, expected) in rows)
        {
            var (exit, stdout, stderr) = await PortcullisProcess.RunAsync(
                ["audit", $"app.test:{gateway.HttpsPort}", "--ip", "127.0.0.1", "--ca", SelfSignedCa(gateway), "--http-port", $"{gateway.HttpPort}", "--fail-under", minimum], Deadline);

            Assert.True(expected == exit, $"--fail-under {minimum}: exit {exit}\n{stdout}\n{stderr}");
            Assert.Contains(expected == 0 ? $"{minimum}: met" : $"{minimum}: NOT met", stdout, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Audit_Report_HasSectionsSummaryAndFixes()
    {
        await using var gateway = await StartGatewayAsync();

        var (exit, stdout, _) = await PortcullisProcess.RunAsync(
            ["audit", $"app.test:{gateway.HttpsPort}", "--ip", "127.0.0.1", "--ca", SelfSignedCa(gateway), "--http-port", $"{gateway.HttpPort}"], Deadline);

        Assert.Equal(0, exit);
        var order = new[] { "── Connection", "── TLS", "── Certificate", "── HTTP", "── Summary" }.Select(s => stdout.IndexOf(s, StringComparison.Ordinal)).ToList();
        Assert.True(order.All(i => i >= 0) && order.SequenceEqual(order.Order()), stdout);
        Assert.Matches(@"MEDIUM No Content-Security-Policy", stdout);
        Assert.Matches(@"(?m)^╭─Portcullis", stdout);
        Assert.Matches(@"(?m)^╭─nginx", stdout);
        Assert.Matches(@"HTTP \(Observatory\)\s+B \(75\)", stdout);
    }

    [Fact]
    public async Task Audit_UnreachableTarget_FailsFastWithClearMessage()
    {
        var port = TestPorts.GetFree();
        using var output = new StringWriter();
        using var errors = new StringWriter();
        var watch = Stopwatch.StartNew();

        var exit = await AuditCommand.RunAsync(new AuditOptions($"127.0.0.1:{port}"), AuditRunner.Default, output, errors, interactive: false, CancellationToken.None);

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
        Assert.Equal(ExitCodes.AuditUnreachable, exit);
        Assert.Contains($"127.0.0.1:{port} is unreachable: cannot connect to 127.0.0.1:{port}", errors.ToString(), StringComparison.Ordinal);
        Assert.Equal("", output.ToString());

        var (processExit, _, stderr) = await PortcullisProcess.RunAsync(["audit", $"127.0.0.1:{port}"], Deadline);
        Assert.Equal(ExitCodes.AuditUnreachable, processExit);
        Assert.Contains("unreachable", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("audit", "say what to audit")]
    [InlineData("audit example.test --fail-under Z", "not a grade")]
    [InlineData("audit example.test:99999", "is not HOST[:PORT]")]
    [InlineData("audit example.test --ip nope", "not an IP address")]
    [InlineData("audit --self example.test", "give no HOST")]
    public async Task Audit_BadCommandLine_Exits2(string commandLine, string message)
    {
        var (exit, _, stderr) = await PortcullisProcess.RunAsync(commandLine.Split(' '), Deadline);

        Assert.Equal(ExitCodes.UsageOrConfigError, exit);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Audit_Self_AuditsEachSiteAtItsListenerWithItsSelfSignedCertificate()
    {
        await using var origin = await TestOrigin.StartAsync("o");
        await using var gateway = await TestGateway.StartAsync(ForwardingTests.SingleRoute($"\"{origin.Url}\"") + """

              - name: docs
                hosts: ["*.docs.test"]
                headers: { set: { Content-Security-Policy: "default-src 'none'; frame-ancestors 'none'" } }
                routes:
                  - path: /
                    upstreams: ["{{ORIGIN}}"]
            """.Replace("{{ORIGIN}}", origin.Url, StringComparison.Ordinal));

        var (exit, stdout, stderr) = await PortcullisProcess.RunAsync(["audit", "--self", "--config", gateway.ConfigPath, "--json"], Deadline);

        Assert.True(exit == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var sites = json.RootElement.EnumerateArray().ToList();
        Assert.Equal(2, sites.Count);
        Assert.Equal(["app.test", "www.docs.test"], sites.Select(s => s.GetProperty("target").GetProperty("host").GetString()));
        Assert.All(sites, s =>
        {
            Assert.Equal("127.0.0.1", s.GetProperty("target").GetProperty("address").GetString());
            Assert.Equal(gateway.HttpPort, s.GetProperty("target").GetProperty("httpPort").GetInt32());
            Assert.True(s.GetProperty("http").GetProperty("certificateVerified").GetBoolean(), s.ToString());
            Assert.EndsWith(".crt", s.GetProperty("target").GetProperty("caFile").GetString(), StringComparison.Ordinal);
        });
        Assert.Equal(["B", "A+"], sites.Select(s => s.GetProperty("grades").GetProperty("http").GetProperty("letter").GetString()));
    }

    [Fact]
    public async Task Audit_WithStandInTlsResult_RendersTlsAndGradesWithTheHttpHalfsHsts()
    {
        await using var gateway = await StartGatewayAsync();
        long? seenMaxAge = -1;
        var runner = new AuditRunner(
            (_, _, _) => Task.FromResult(new TlsAuditResult(StandInProbe, null, [])),
            (_, _, hsts) =>
            {
                seenMaxAge = hsts;
                return new Grade("A", 93, new Dictionary<string, int> { ["protocol"] = 100 }, []);
            });
        var options = new AuditOptions($"app.test:{gateway.HttpsPort}", Ip: "127.0.0.1", Ca: SelfSignedCa(gateway), HttpPort: gateway.HttpPort, Json: true, FailUnder: "A");
        using var output = new StringWriter();
        using var errors = new StringWriter();

        var exit = await AuditCommand.RunAsync(options, runner, output, errors, interactive: false, CancellationToken.None);

        // The HTTP half saw the gateway's HSTS; the SSL Labs grader needs its max-age (A+ requires ≥ 6 months).
        Assert.Equal(63072000, seenMaxAge);
        using var json = JsonDocument.Parse(output.ToString());
        var root = json.RootElement;
        Assert.Equal(["TLS 1.2:True", "TLS 1.3:True", "TLS 1.1:False"],
            root.GetProperty("protocols").EnumerateArray().Select(p => $"{p.GetProperty("version").GetString()}:{p.GetProperty("accepted").GetBoolean()}"));
        var suite = Assert.Single(root.GetProperty("suites").GetProperty("TLS 1.2").EnumerateArray());
        Assert.Equal(("0xC02F", "ECDHE-RSA-AES128-GCM-SHA256"), (suite.GetProperty("code").GetString(), suite.GetProperty("openSslName").GetString()));
        Assert.Equal("A", root.GetProperty("grades").GetProperty("tls").GetProperty("letter").GetString());
        // TLS A meets --fail-under A, HTTP B does not.
        Assert.False(root.GetProperty("passed").GetBoolean());
        Assert.Equal(ExitCodes.AuditBelowMinimum, exit);

        using var text = new StringWriter();
        var textExit = await AuditCommand.RunAsync(options with { Json = false, FailUnder = "B" }, runner, text, errors, interactive: false, CancellationToken.None);
        Assert.Equal(ExitCodes.Ok, textExit);
        Assert.Matches(@"TLS 1\.2\s+│\s+yes\s+│\s+TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", text.ToString());
        Assert.Matches(@"TLS \(SSL Labs 2009r\)\s+A \(93\)", text.ToString());
    }

    private static readonly TlsProbeResult StandInProbe = new(
        [new ProtocolSupport(TlsVersion.Tls12, true), new ProtocolSupport(TlsVersion.Tls13, true), new ProtocolSupport(TlsVersion.Tls11, false)],
        new Dictionary<TlsVersion, IReadOnlyList<CipherSuite>>
        {
            [TlsVersion.Tls12] = [new CipherSuite(0xC02F, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "ECDHE-RSA-AES128-GCM-SHA256", "ECDHE", "AES-128-GCM", 128, true, true)],
        },
        ServerEnforcesOrder: false, Groups: ["x25519"], SmallestEphemeralBits: 3072, SecureRenegotiation: true, Compression: false, FallbackScsv: null, OcspStapled: false);

    /// <summary>The gateway in front of a real origin that sends no security headers of its own (as most applications).</summary>
    private static async Task<Running> StartGatewayAsync()
    {
        var origin = await TestOrigin.StartAsync("o");
        return new Running(origin, await TestGateway.StartAsync(ForwardingTests.SingleRoute($"\"{origin.Url}\"")));
    }

    private sealed class Running(TestOrigin origin, TestGateway gateway) : IAsyncDisposable
    {
        public int HttpsPort => gateway.HttpsPort;

        public int HttpPort => gateway.HttpPort;

        public string Directory => gateway.Directory;

        public async ValueTask DisposeAsync()
        {
            await gateway.DisposeAsync();
            await origin.DisposeAsync();
        }
    }

    private static string SelfSignedCa(Running gateway) => Path.Combine(gateway.Directory, "data", "certs", "self-signed", "app.crt");
}
