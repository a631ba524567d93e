using System.Globalization;
using System.Net;
using Portcullis.Tests.TestSupport;

namespace Portcullis.Tests.Challenge;

/// <summary>
/// What the gateway must refuse: passes that are forged, tampered with, expired, from another site or shown by
/// another client (127.0.0.2), and answers that are reused, solved by another client, wrong, or too late. Each test
/// first shows the genuine article is accepted, so a refusal cannot come from a broken flow.
/// </summary>
public sealed class ChallengeRefusalTests(ChallengeGatewayFixture fixture) : IClassFixture<ChallengeGatewayFixture>
{
    private TestGateway Gateway => fixture.Gateway;

    [Fact]
    public async Task Pass_Forged_Challenged()
    {
        using var client = new PowClient(Gateway);
        var (pass, _) = await client.ObtainPassAsync("https://app.test/");
        var expiry = pass.Split('.')[1];
        // Right shape, plausible expiry, a MAC made without the key.
        var forged = $"1.{expiry}.{Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_')}";

        await AssertServedAsync(client, "https://app.test/", pass);
        await AssertChallengedAsync(client, "https://app.test/", forged, "pass_invalid");
    }

    [Theory]
    [InlineData("expiry")]
    [InlineData("mac")]
    [InlineData("version")]
    [InlineData("truncated")]
    public async Task Pass_Tampered_Challenged(string part)
    {
        using var client = new PowClient(Gateway);
        var (pass, _) = await client.ObtainPassAsync("https://app.test/");
        var fields = pass.Split('.');
        var tampered = part switch
        {
            // A later expiry is what a tamperer would want.
            "expiry" => $"1.{long.Parse(fields[1], CultureInfo.InvariantCulture) + 86_400}.{fields[2]}",
            "mac" => $"1.{fields[1]}.{(fields[2][0] == 'A' ? 'B' : 'A')}{fields[2][1..]}",
            "version" => $"2.{fields[1]}.{fields[2]}",
            _ => pass[..^4],
        };

        await AssertServedAsync(client, "https://app.test/", pass);
        await AssertChallengedAsync(client, "https://app.test/", tampered, "pass_invalid");
    }

    [Fact]
    public async Task Pass_FromOtherSite_Challenged()
    {
        using var client = new PowClient(Gateway);
        var (appPass, _) = await client.ObtainPassAsync("https://app.test/");
        var (otherPass, _) = await client.ObtainPassAsync("https://other.test/");

        await AssertServedAsync(client, "https://other.test/", otherPass);
        await AssertChallengedAsync(client, "https://other.test/", appPass, "pass_invalid");
        await AssertChallengedAsync(client, "https://app.test/", otherPass, "pass_invalid");
    }

    [Fact]
    public async Task Pass_ShownByOtherClientIp_Challenged()
    {
        using var first = new PowClient(Gateway, "127.0.0.1");
        using var second = new PowClient(Gateway, "127.0.0.2");
        var (pass, _) = await first.ObtainPassAsync("https://app.test/");

        await AssertServedAsync(first, "https://app.test/", pass);
        var e = await AssertChallengedAsync(second, "https://app.test/", pass, "pass_invalid");
        Assert.Equal(IPAddress.Parse("127.0.0.2"), e.ClientIp);
    }

    [Fact]
    public async Task Pass_Expired_Challenged()
    {
        using var client = new PowClient(Gateway);
        var (pass, _) = await client.ObtainPassAsync("https://app.test/");
        await AssertServedAsync(client, "https://app.test/", pass);

        // The fixture's site gives passes 30 minutes.
        fixture.Clock.Advance(TimeSpan.FromMinutes(29));
        await AssertServedAsync(client, "https://app.test/", pass);
        fixture.Clock.Advance(TimeSpan.FromMinutes(2));
        await AssertChallengedAsync(client, "https://app.test/", pass, "pass_expired");
    }

    [Fact]
    public async Task Answer_Reused_SecondRefused()
    {
        using var client = new PowClient(Gateway);
        var form = await client.GetChallengeAsync("https://app.test/");
        var nonce = PowClient.Solve(form.Token, form.Difficulty);

        using var first = await client.SubmitAsync("https://app.test", form, nonce);
        using var second = await client.SubmitAsync("https://app.test", form, nonce);

        Assert.Equal(HttpStatusCode.SeeOther, first.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, second.StatusCode);
        Assert.False(second.Headers.Contains("Set-Cookie"));
        var e = await Gateway.WaitForEventAsync(second.Headers.GetValues("X-Request-Id").Single());
        Assert.Equal(("failed", "replayed"), (e.Challenge, e.ChallengeReason));
    }

    [Fact]
    public async Task Answer_SolvedForOtherClientIp_Refused()
    {
        using var first = new PowClient(Gateway, "127.0.0.1");
        using var second = new PowClient(Gateway, "127.0.0.2");
        var form = await first.GetChallengeAsync("https://app.test/");

        using var answer = await second.SubmitAsync("https://app.test", form, PowClient.Solve(form.Token, form.Difficulty));

        Assert.Equal(HttpStatusCode.Forbidden, answer.StatusCode);
        var e = await Gateway.WaitForEventAsync(answer.Headers.GetValues("X-Request-Id").Single());
        Assert.Equal(("failed", "token_invalid"), (e.Challenge, e.ChallengeReason));
        // The same answer from the client it was issued to still works: the refusal was the address.
        using var genuine = await first.SubmitAsync("https://app.test", form, PowClient.Solve(form.Token, form.Difficulty));
        Assert.Equal(HttpStatusCode.SeeOther, genuine.StatusCode);
    }

    [Fact]
    public async Task Answer_TokenForOtherSite_Refused()
    {
        using var client = new PowClient(Gateway);
        var form = await client.GetChallengeAsync("https://other.test/");

        using var answer = await client.SubmitAsync("https://app.test", form, PowClient.Solve(form.Token, form.Difficulty));

        Assert.Equal(HttpStatusCode.Forbidden, answer.StatusCode);
    }

    [Fact]
    public async Task Answer_WrongNonce_Refused()
    {
        using var client = new PowClient(Gateway);
        var form = await client.GetChallengeAsync("https://app.test/");

        using var answer = await client.SubmitAsync("https://app.test", form, PowClient.NonSolution(form.Token, form.Difficulty));

        Assert.Equal(HttpStatusCode.Forbidden, answer.StatusCode);
        var e = await Gateway.WaitForEventAsync(answer.Headers.GetValues("X-Request-Id").Single());
        Assert.Equal(("failed", "not_solved"), (e.Challenge, e.ChallengeReason));
    }

    [Fact]
    public async Task Answer_DifficultyLoweredInToken_Refused()
    {
        using var client = new PowClient(Gateway);
        var form = await client.GetChallengeAsync("https://app.test/");
        // The difficulty is the payload's last byte; lowering it to 0 must break the MAC, not make any nonce valid.
        var parts = form.Token.Split('.');
        var payload = Convert.FromBase64String(Pad(parts[0].Replace('-', '+').Replace('_', '/')));
        payload[^1] = 0;
        var lowered = Convert.ToBase64String(payload).TrimEnd('=').Replace('+', '-').Replace('/', '_') + "." + parts[1];

        using var answer = await client.SubmitAsync("https://app.test", form with { Token = lowered }, "0");

        Assert.Equal(HttpStatusCode.Forbidden, answer.StatusCode);
        var e = await Gateway.WaitForEventAsync(answer.Headers.GetValues("X-Request-Id").Single());
        Assert.Equal(("failed", "token_invalid"), (e.Challenge, e.ChallengeReason));
    }

    [Fact]
    public async Task Answer_AfterTokenExpired_FreshChallengeNoPass()
    {
        using var client = new PowClient(Gateway);
        var form = await client.GetChallengeAsync("https://app.test/late");
        var nonce = PowClient.Solve(form.Token, form.Difficulty);
        fixture.Clock.Advance(TimeSpan.FromMinutes(6));

        using var answer = await client.SubmitAsync("https://app.test", form, nonce);
        var fresh = ChallengeForm.Parse(await answer.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.Forbidden, answer.StatusCode);
        Assert.False(answer.Headers.Contains("Set-Cookie"));
        Assert.NotEqual(form.Token, fresh.Token);
        Assert.Equal("/late", fresh.ReturnPath);
        var e = await Gateway.WaitForEventAsync(answer.Headers.GetValues("X-Request-Id").Single());
        Assert.Equal(("issued", "token_expired"), (e.Challenge, e.ChallengeReason));
    }

    private static string Pad(string base64) => base64 + new string('=', (4 - base64.Length % 4) % 4);

    private static async Task AssertServedAsync(PowClient client, string url, string pass)
    {
        using var response = await client.GetPageAsync(url, pass);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task<global::Portcullis.Observability.RequestEvent> AssertChallengedAsync(PowClient client, string url, string pass, string reason)
    {
        var before = fixture.Origin.Requests;
        using var response = await client.GetPageAsync(url, pass);
        ChallengeForm.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(before, fixture.Origin.Requests);
        var e = await Gateway.WaitForEventAsync(response.Headers.GetValues("X-Request-Id").Single());
        Assert.Equal(("issued", reason), (e.Challenge, e.ChallengeReason));
        return e;
    }
}
