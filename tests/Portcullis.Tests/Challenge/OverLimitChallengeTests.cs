using System.Net;
using Portcullis.Tests.TestSupport;

namespace Portcullis.Tests.Challenge;

/// <summary>
/// <c>challenge: suspicious</c> with a rate limit, on the real gateway: a browser over its limit gets the challenge
/// instead of a 429 and, once it holds a pass, the limit applies again; an exempt API route keeps the plain 429.
/// </summary>
public sealed class OverLimitChallengeTests
{
    [Fact]
    public async Task Suspicious_OverRateLimit_ChallengedInsteadOf429_PassHolderAndApiStillLimited()
    {
        await using var origin = await TestOrigin.StartAsync("origin");
        var config = ChallengeGatewayFixture.Config(origin.Url, mode: "suspicious")
            .Replace("exempt: [/feeds] }\n", "exempt: [/feeds] }\n    rate_limit: { rate: 1/m, burst: 2 }\n", StringComparison.Ordinal);
        Assert.Contains("rate_limit: { rate: 1/m, burst: 2 }", config, StringComparison.Ordinal);
        await using var gateway = await TestGateway.StartAsync(config);
        using var browser = new PowClient(gateway, "127.0.0.1");
        using var api = new PowClient(gateway, "127.0.0.2");

        using var first = await browser.GetPageAsync("https://app.test/");
        using var second = await browser.GetPageAsync("https://app.test/");
        using var overLimit = await browser.GetPageAsync("https://app.test/");
        var (pass, _) = await browser.ObtainPassAsync("https://app.test/");
        using var withPassOverLimit = await browser.GetPageAsync("https://app.test/", pass);
        using var apiFirst = await api.SendAsync(HttpMethod.Get, "https://app.test/api/items", null, "application/json");
        using var apiSecond = await api.SendAsync(HttpMethod.Get, "https://app.test/api/items", null, "application/json");
        using var apiOverLimit = await api.SendAsync(HttpMethod.Get, "https://app.test/api/items", null, "application/json");

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (first.StatusCode, second.StatusCode));
        Assert.Equal(HttpStatusCode.Forbidden, overLimit.StatusCode);
        Assert.True(overLimit.Headers.Contains("Portcullis-Challenge"), "the third page should be the challenge, not a 429");
        Assert.Equal(HttpStatusCode.TooManyRequests, withPassOverLimit.StatusCode);
        Assert.NotNull(withPassOverLimit.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.TooManyRequests, apiOverLimit.StatusCode);
        var e = await gateway.WaitForEventAsync(overLimit.Headers.GetValues("X-Request-Id").Single());
        Assert.Equal("issued", e.Challenge);
        Assert.StartsWith("rate:", e.Limit, StringComparison.Ordinal);
        Assert.Contains("flagged: rate:", e.ChallengeReason, StringComparison.Ordinal);
    }
}
