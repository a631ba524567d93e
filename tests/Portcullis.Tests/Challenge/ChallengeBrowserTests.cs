using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Portcullis.Hosting;
using Portcullis.Tests.TestSupport;
using Xunit.Abstractions;

namespace Portcullis.Tests.Challenge;

/// <summary>
/// The page's JavaScript in a real browser: headless Chromium loads a challenged URL, its script solves the
/// proof-of-work with crypto.subtle.digest under the page's CSP, posts the answer, stores the pass cookie, follows
/// the redirect and ends on the upstream's answer for the original URL.
/// </summary>
public sealed class ChallengeBrowserTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(10)]
    [InlineData(14)]
    public async Task Chromium_ChallengedPage_ScriptSolvesAndReachesUpstream(int difficulty)
    {
        await using var origin = await TestOrigin.StartAsync("browser-origin");
        var config = ChallengeGatewayFixture.Config(origin.Url).Replace($"difficulty: {ChallengeGatewayFixture.Difficulty}", $"difficulty: {difficulty}", StringComparison.Ordinal);
        await using var gateway = await TestGateway.StartAsync(config, options: new GatewayHostOptions { MinimumLogLevel = LogLevel.Warning });
        var watch = Stopwatch.StartNew();

        var dom = await HeadlessChromium.DumpDomAsync($"https://app.test:{gateway.HttpsPort}/welcome?from=browser", "app.test", TimeSpan.FromSeconds(60));

        output.WriteLine($"difficulty {difficulty}: {watch.ElapsedMilliseconds} ms in chromium (start-up included)");
        // The upstream's JSON for the original URL, rendered by the browser: only reachable with a pass.
        Assert.Contains("\"origin\":\"browser-origin\"", dom, StringComparison.Ordinal);
        Assert.Contains("\"path\":\"/welcome\"", dom, StringComparison.Ordinal);
        Assert.Contains("\"query\":\"?from=browser\"", dom, StringComparison.Ordinal);
        var events = gateway.Events.ToList();
        Assert.Contains(events, e => e.Challenge == "issued" && e.Path == "/welcome");
        Assert.Contains(events, e => e.Challenge == "solved");
        // The browser sent the cookie back itself: Secure, HttpOnly, SameSite=Lax and the __Host- prefix were all acceptable to it.
        // (It may also fetch /favicon.ico with the cookie.)
        Assert.Single(events, e => e.Challenge == "passed" && e.Path == "/welcome");
        // Only requests carrying the pass reached the application.
        Assert.Equal(events.Count(e => e.Challenge == "passed"), origin.Requests);
    }
}
