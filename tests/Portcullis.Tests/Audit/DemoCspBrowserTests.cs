using System.Net;
using Portcullis.Demo;
using Portcullis.Tests.Challenge;
using Portcullis.Tests.TestSupport;

namespace Portcullis.Tests.Audit;

/// <summary>
/// The demo's pages actually work under the CSP that earns its A+ (DemoGradeTests): a real browser (headless
/// Chromium) loads them and its console, where every CSP violation is logged, stays quiet; a control shows it would not.
/// </summary>
public sealed class DemoCspBrowserTests
{
    [Fact]
    public async Task Demo_PagesInChromium_RenderWithoutCspViolations()
    {
        using var dir = new TempDirectory();
        await using var demo = await DemoProcess.StartAsync(dir);

        // Every page kind: the layout with its stylesheet, the GET and POST forms, the cookie page, the 404 page.
        foreach (var path in new[] { "/", "/search?q=lamp", "/login", "/cookie", "/no-such-page" })
        {
            var (dom, log) = await HeadlessChromium.LoadAsync($"https://localhost:{demo.HttpsPort}{path}", "localhost", TimeSpan.FromSeconds(10));

            Assert.Contains("Portcullis demo application", dom, StringComparison.Ordinal);
            Assert.DoesNotContain("Content Security Policy", log, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Chromium_DemoPageUnderAPolicyWithoutItsHash_ReportsTheViolation()
    {
        // The control for the test above: the same page, with the operator's policy (which wins over the
        // application's) leaving the stylesheet's hash out. The browser must say so in the log the test reads.
        await using var app = await DemoApplication.StartAsync(new IPEndPoint(IPAddress.Loopback, 0), CancellationToken.None);
        await using var gateway = await TestGateway.StartAsync($$"""
            listen: { https: "{https}", http: "{http}" }
            data_dir: "{data}"
            sites:
              - name: demo
                hosts: [localhost]
                headers: { set: { Content-Security-Policy: "default-src 'none'" } }
                routes:
                  - path: /
                    upstreams: ["{{app.BaseAddress}}"]
            """);

        var (dom, log) = await HeadlessChromium.LoadAsync($"https://localhost:{gateway.HttpsPort}/", "localhost", TimeSpan.FromSeconds(10));

        Assert.Contains("Portcullis demo application", dom, StringComparison.Ordinal);
        Assert.Contains("violates the following Content Security Policy directive", log, StringComparison.Ordinal);
        Assert.Contains(DemoHtml.StylesheetSource, log, StringComparison.Ordinal);
    }
}
