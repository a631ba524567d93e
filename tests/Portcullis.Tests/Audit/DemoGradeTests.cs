using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Portcullis.Audit;
using Portcullis.Audit.Grading;
using Portcullis.Audit.Tls;
using Portcullis.Cli;
using Portcullis.Configuration;
using Portcullis.Demo;
using Portcullis.Tests.TestSupport;
using Xunit.Abstractions;

namespace Portcullis.Tests.Audit;

/// <summary>
/// Issue 7: the gateway's own default configuration, as <c>portcullis demo</c> serves it, grades A+ on TLS and A+ on
/// HTTP headers, audited with the demo's self-signed certificate as the trusted root and <c>localhost</c> (the name
/// the certificate carries, and a DNS name, so it goes out as SNI) as the host; and <c>audit --self</c> says so.
/// The demo is the real program as a child process; the audit is the real TLS and HTTP halves.
/// </summary>
public sealed class DemoGradeTests(ITestOutputHelper output)
{
    /// <summary>Issue 7's bound for a full audit of one target on loopback.</summary>
    private static readonly TimeSpan AuditBudget = TimeSpan.FromSeconds(15);

    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Demo_AuditedAsLocalhostWithItsCertificate_GradesAPlusOnTlsAndHttpWithin15Seconds()
    {
        using var dir = new TempDirectory();
        await using var demo = await DemoProcess.StartAsync(dir);
        var target = new AuditTarget("localhost", demo.HttpsPort, Address: IPAddress.Loopback, CaFile: demo.Certificate, HttpPort: demo.HttpPort);

        var watch = Stopwatch.StartNew();
        var report = await AuditRunner.Default.RunAsync(target, progress: null, CancellationToken.None);
        watch.Stop();

        output.WriteLine($"audit took {watch.ElapsedMilliseconds} ms (TLS {report.Timings.Tls?.TotalMilliseconds:0} ms, HTTP {report.Timings.Http.TotalMilliseconds:0} ms)");
        output.WriteLine($"TLS {report.TlsGrade?.Letter} ({report.TlsGrade?.Score}): {string.Join("; ", report.TlsGrade?.Reasons ?? [])}");
        output.WriteLine($"HTTP {report.HttpGrade?.Letter} ({report.HttpGrade?.Score}): {string.Join("; ", report.HttpGrade?.Reasons ?? [])}");
        Assert.True(report.TlsGrade is { Letter: "A+" }, $"TLS {report.TlsGrade?.Letter}: {string.Join("; ", report.TlsGrade?.Reasons ?? [])}");
        Assert.True(report.HttpGrade is { Letter: "A+" }, $"HTTP {report.HttpGrade?.Letter}: {string.Join("; ", report.HttpGrade?.Reasons ?? [])}");
        Assert.True(watch.Elapsed <= AuditBudget, $"the audit took {watch.Elapsed.TotalSeconds:0.0} s");

        // Why A+ on TLS (notes/tls.md §1): TLS 1.2 and 1.3 only, every suite AEAD with forward secrecy, a complete
        // trusted chain whose name matches, and HSTS of at least 6 months.
        var tls = report.Tls!;
        Assert.Equal([TlsVersion.Tls12, TlsVersion.Tls13], tls.Probe.Protocols.Where(p => p.Accepted == true).Select(p => p.Version));
        Assert.All(tls.Probe.Suites.SelectMany(s => s.Value), s => Assert.True(s.Aead && s.ForwardSecrecy, s.Name));
        Assert.True(tls.Certificate is { Trusted: true, Complete: true, NameMatches: true, ExpectedName: "localhost" }, tls.Certificate?.TrustProblem);
        Assert.True(report.Http.Hsts is { Valid: true, MaxAge: >= 15_552_000 });
        // Why A+ on HTTP: the demo application's strict CSP, passed through; the gateway then adds no X-Frame-Options.
        Assert.Contains(ObservatoryOutcome.CspNoUnsafeDefaultSrcNone, report.Http.Outcomes);
        Assert.Contains(ObservatoryOutcome.XFrameOptionsViaCspFrameAncestors, report.Http.Outcomes);
        // Nothing worth fixing: only informational findings (no OCSP staple: a self-signed certificate names no responder).
        Assert.All(report.Findings, f => Assert.True(f.Severity == FindingSeverity.Info, $"{f.Id}: {f.Title}"));
    }

    [Fact]
    public async Task Demo_PageUnderItsOwnCsp_StylesheetHashMatchesAndNoScripts()
    {
        using var dir = new TempDirectory();
        await using var demo = await DemoProcess.StartAsync(dir);
        var target = new AuditTarget("localhost", demo.HttpsPort, Address: IPAddress.Loopback, CaFile: demo.Certificate, HttpPort: 0);

        var report = await AuditRunner.Default.RunAsync(target, progress: null, CancellationToken.None);

        // What a browser does with the policy (CSP3 §8.4): hash the exact text of the <style> element and look for
        // it in style-src. A stylesheet edited without the policy following would be blocked and fail here.
        var page = report.Http.Page!;
        var style = Regex.Match(page.Body, "<style>(.*?)</style>", RegexOptions.Singleline);
        Assert.True(style.Success, page.Body);
        var hash = $"'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(style.Groups[1].Value)))}'";
        Assert.Equal([hash], report.Http.Csp!.Get("style-src")!);
        Assert.Equal(["'none'"], report.Http.Csp.Get("default-src")!);
        Assert.Null(report.Http.Csp.Get("script-src"));
        Assert.DoesNotContain("<script", page.Body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(" style=", page.Body, StringComparison.OrdinalIgnoreCase);
        // The forms post to the application itself, which form-action 'self' allows.
        Assert.Equal(["'self'"], report.Http.Csp.Get("form-action")!);
        Assert.Equal(DemoContentSecurityPolicy.Value, page.Headers.All("Content-Security-Policy").Single());
    }

    [Fact]
    public async Task AuditCommand_DocumentedDemoCommandLine_SaysAPlusAndAPlusAndExits0UnderFailUnderAPlus()
    {
        using var dir = new TempDirectory();
        await using var demo = await DemoProcess.StartAsync(dir);

        // The command docs/audit.md gives for the demo, as a user types it: the name is resolved, not pinned.
        var (exit, stdout, stderr) = await PortcullisProcess.RunAsync(
            ["audit", $"localhost:{demo.HttpsPort}", "--http-port", $"{demo.HttpPort}", "--ca", demo.Certificate, "--fail-under", "A+"], Deadline);

        output.WriteLine(stdout);
        Assert.True(exit == ExitCodes.Ok, $"exit {exit}\n{stdout}\n{stderr}");
        Assert.Matches(@"TLS \(SSL Labs 2009r\)\s+A\+ \(\d+\)", stdout);
        Assert.Matches(@"HTTP \(Observatory\)\s+A\+ \(\d+\)", stdout);
        Assert.Contains("A+: met", stdout, StringComparison.Ordinal);
        var sections = new[] { "── TLS", "── Certificate", "── HTTP", "── Summary" };
        Assert.All(sections, s => Assert.Contains(s, stdout, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AuditSelf_GatewayWithTheDemosConfigAsYaml_SaysAPlusAndAPlusAndExits0UnderFailUnderAPlus()
    {
        await using var app = await DemoApplication.StartAsync(new IPEndPoint(IPAddress.Loopback, 0), CancellationToken.None);
        await using var gateway = await TestGateway.StartAsync($$"""
            listen: { https: "{https}", http: "{http}" }
            data_dir: "{data}"
            sites:
              - name: demo
                hosts: [localhost, 127.0.0.1, "::1"]
                default: true
                routes:
                  - path: /
                    upstreams: ["{{app.BaseAddress}}"]
                    health_check: { path: /healthz }
            """);
        AssertEquivalentToTheDemo(gateway.ConfigPath, app.BaseAddress);

        var (exit, stdout, stderr) = await PortcullisProcess.RunAsync(["audit", "--self", "--config", gateway.ConfigPath, "--json", "--fail-under", "A+"], Deadline);

        Assert.True(exit == ExitCodes.Ok, $"exit {exit}\n{stdout}\n{stderr}");
        using var json = JsonDocument.Parse(stdout);
        var site = Assert.Single(json.RootElement.EnumerateArray().ToList());
        Assert.Equal("localhost", site.GetProperty("target").GetProperty("sni").GetString());
        Assert.EndsWith(Path.Combine("certs", "self-signed", "demo.crt"), site.GetProperty("target").GetProperty("caFile").GetString(), StringComparison.Ordinal);
        Assert.True(site.GetProperty("certificate").GetProperty("trusted").GetBoolean(), site.ToString());
        var grades = site.GetProperty("grades");
        Assert.Equal(("A+", "A+"), (grades.GetProperty("tls").GetProperty("letter").GetString(), grades.GetProperty("http").GetProperty("letter").GetString()));
        Assert.True(site.GetProperty("passed").GetBoolean());

        // And in words, as a person reads it.
        var (textExit, text, _) = await PortcullisProcess.RunAsync(["audit", "--self", "--config", gateway.ConfigPath, "--fail-under", "A+"], Deadline);
        Assert.Equal(ExitCodes.Ok, textExit);
        Assert.Matches(@"TLS \(SSL Labs 2009r\)\s+A\+", text);
        Assert.Matches(@"HTTP \(Observatory\)\s+A\+", text);
    }

    /// <summary>The YAML above loads to what <c>portcullis demo</c> builds, in everything that can change a grade.</summary>
    private static void AssertEquivalentToTheDemo(string configPath, Uri app)
    {
        var loaded = ConfigLoader.Load(configPath);
        Assert.True(loaded.Succeeded, string.Join("\n", loaded.Errors));
        var yaml = loaded.Config!;
        var demo = DemoCommand.CreateConfig(yaml.Listen.Https, yaml.Listen.Http, yaml.DataDir, app);
        Assert.Equal(demo.Listen, yaml.Listen);
        Assert.Equal(demo.Tls, yaml.Tls);
        Assert.Empty(yaml.Headers.Set);
        Assert.Empty(yaml.Headers.Remove);
        var (demoSite, yamlSite) = (Assert.Single(demo.Sites), Assert.Single(yaml.Sites));
        Assert.Equal(demoSite.Name, yamlSite.Name);
        Assert.Equal(demoSite.Hosts, yamlSite.Hosts);
        Assert.Equal(demoSite.Tls, yamlSite.Tls);
        Assert.Empty(yamlSite.Headers.Set);
        Assert.Empty(yamlSite.Headers.Remove);
        Assert.Equal(demoSite.Routes.Single().Upstreams, yamlSite.Routes.Single().Upstreams);
    }
}
