using System.Net;
using System.Text.Json;
using Portcullis.Challenge;
using Portcullis.Tests.TestSupport;

namespace Portcullis.Tests.Challenge;

/// <summary>
/// The challenge end to end against the real gateway on loopback: page, proof-of-work solved by a C# client,
/// pass cookie, original URL served by the real upstream; exemptions; non-browser requests; the access log.
/// </summary>
public sealed class ChallengeFlowTests(ChallengeGatewayFixture fixture) : IClassFixture<ChallengeGatewayFixture>
{
    private TestGateway Gateway => fixture.Gateway;

    [Fact]
    public async Task Flow_PageSolvedAndPosted_PassCookieThenOriginalUrlFromUpstream()
    {
        using var client = new PowClient(Gateway);
        var before = fixture.Origin.Requests;

        using var page = await client.GetPageAsync("https://app.test/shop/item?id=7&q=a%20b");
        var html = await page.Content.ReadAsStringAsync();
        var form = ChallengeForm.Parse(html);
        using var answer = await client.SubmitAsync("https://app.test", form, PowClient.Solve(form.Token, form.Difficulty));
        var pass = PowClient.PassFrom(answer);
        using var served = await client.GetPageAsync("https://app.test" + answer.Headers.Location!.OriginalString, pass);

        Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
        Assert.Equal("required", page.Headers.GetValues(ChallengeResponses.Header).Single());
        Assert.Equal("no-store", page.Headers.CacheControl?.ToString());
        // The inline script may run only by its hash: no 'unsafe-inline', nothing loaded from anywhere.
        var csp = page.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Matches("script-src 'sha256-[A-Za-z0-9+/=]{44}'", csp);
        Assert.DoesNotContain("unsafe", csp, StringComparison.Ordinal);
        Assert.Equal(ChallengeGatewayFixture.Difficulty, form.Difficulty);
        Assert.Equal("/shop/item?id=7&q=a%20b", form.ReturnPath);
        Assert.Equal(HttpStatusCode.SeeOther, answer.StatusCode);
        Assert.Equal("/shop/item?id=7&q=a%20b", answer.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        using var json = JsonDocument.Parse(await served.Content.ReadAsStringAsync());
        Assert.Equal("origin", json.RootElement.GetProperty("origin").GetString());
        Assert.Equal("/shop/item", json.RootElement.GetProperty("path").GetString());
        // Only the last request reached the application; the challenge and the answer were the gateway's.
        Assert.Equal(before + 1, fixture.Origin.Requests);
        Assert.Equal(("issued", "no_pass"), await ChallengeOf(page));
        Assert.Equal(("solved", null), await ChallengeOf(answer));
        Assert.Equal(("passed", null), await ChallengeOf(served));
    }

    [Fact]
    public async Task Pass_ManyRequests_AllServed()
    {
        using var client = new PowClient(Gateway);
        var (pass, _) = await client.ObtainPassAsync("https://app.test/");

        for (var i = 0; i < 5; i++)
        {
            using var response = await client.GetPageAsync($"https://app.test/page/{i}", pass);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Theory]
    [InlineData("/api/orders", "application/json")]
    [InlineData("/api", "text/html")]
    [InlineData("/feeds/atom.xml", "text/html")]
    [InlineData("/robots.txt", "text/plain")]
    public async Task ExemptPath_NoPass_ServedByUpstreamUnchallenged(string path, string accept)
    {
        using var client = new PowClient(Gateway);

        using var response = await client.GetPageAsync("https://app.test" + path, accept: accept);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains(ChallengeResponses.Header));
        Assert.Equal((null, null), await ChallengeOf(response));
    }

    [Fact]
    public async Task ExemptPrefix_SegmentBoundary_FeedsxChallenged()
    {
        using var client = new PowClient(Gateway);

        using var response = await client.GetPageAsync("https://app.test/feedsx");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task ApiCall_NoPass_403JsonChallengeRequired()
    {
        using var client = new PowClient(Gateway);
        var before = fixture.Origin.Requests;

        using var response = await client.GetPageAsync("https://app.test/orders", accept: "application/json");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("challenge_required", JsonDocument.Parse(body).RootElement.GetProperty("error").GetString());
        Assert.Equal(before, fixture.Origin.Requests);
        Assert.Equal(("required", "no_pass"), await ChallengeOf(response));
    }

    [Fact]
    public async Task FormPost_NoPass_403TextNotPage()
    {
        using var client = new PowClient(Gateway);

        using var response = await client.SendAsync(HttpMethod.Post, "https://app.test/comment", null, "text/html",
            new FormUrlEncodedContent([new("text", "hello")]));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("browser check", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Head_NoPass_ChallengeHeadersNoBody()
    {
        using var client = new PowClient(Gateway);

        using var response = await client.SendAsync(HttpMethod.Head, "https://app.test/", null, "text/html");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("required", response.Headers.GetValues(ChallengeResponses.Header).Single());
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("//evil.test/x")]
    [InlineData("/\\evil.test")]
    [InlineData("https://evil.test/")]
    [InlineData("javascript:alert(1)")]
    [InlineData("")]
    public async Task Answer_ReturnPathOffSite_RedirectsToRoot(string to)
    {
        using var client = new PowClient(Gateway);
        var form = await client.GetChallengeAsync("https://app.test/start");

        using var answer = await client.SubmitAsync("https://app.test", form with { ReturnPath = to }, PowClient.Solve(form.Token, form.Difficulty));

        Assert.Equal(HttpStatusCode.SeeOther, answer.StatusCode);
        Assert.Equal("/", answer.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task ChallengeEndpoint_Get_405()
    {
        using var client = new PowClient(Gateway);

        using var response = await client.GetPageAsync("https://app.test/.well-known/portcullis/challenge");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    [Fact]
    public async Task AccessLog_ChallengeIssuedAndSolved_FieldsWritten()
    {
        using var client = new PowClient(Gateway);
        using var page = await client.GetPageAsync("https://app.test/logged");
        var form = ChallengeForm.Parse(await page.Content.ReadAsStringAsync());
        using var answer = await client.SubmitAsync("https://app.test", form, PowClient.Solve(form.Token, form.Difficulty));
        var issuedId = page.Headers.GetValues("X-Request-Id").Single();
        var solvedId = answer.Headers.GetValues("X-Request-Id").Single();
        var log = Path.Combine(Gateway.Directory, "data", "logs", "access.log");

        await Eventually.TrueAsync(() => LogLine(log, issuedId) is not null && LogLine(log, solvedId) is not null, "both requests are in the access log");

        using var issued = JsonDocument.Parse(LogLine(log, issuedId)!);
        using var solved = JsonDocument.Parse(LogLine(log, solvedId)!);
        Assert.Equal("issued", issued.RootElement.GetProperty("portcullis.challenge").GetString());
        Assert.Equal("no_pass", issued.RootElement.GetProperty("portcullis.challenge_reason").GetString());
        Assert.Equal(403, issued.RootElement.GetProperty("http.response.status_code").GetInt32());
        Assert.Equal("solved", solved.RootElement.GetProperty("portcullis.challenge").GetString());
    }

    private static string? LogLine(string path, string requestId)
    {
        if (!File.Exists(path))
        {
            return null;
        }
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Split('\n').FirstOrDefault(l => l.Contains(requestId, StringComparison.Ordinal));
    }

    private async Task<(string? Challenge, string? Reason)> ChallengeOf(HttpResponseMessage response)
    {
        var e = await Gateway.WaitForEventAsync(response.Headers.GetValues("X-Request-Id").Single());
        return (e.Challenge, e.ChallengeReason);
    }
}
