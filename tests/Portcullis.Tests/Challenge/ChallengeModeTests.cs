using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Portcullis.Challenge;
using Portcullis.Tests.TestSupport;

namespace Portcullis.Tests.Challenge;

/// <summary>
/// The modes and the key's life on the real gateway: suspicious challenges only flagged clients; passes outlive a
/// restart and a reload because the key lives in data_dir (0600).
/// </summary>
public sealed class ChallengeModeTests
{
    [Fact]
    public async Task Suspicious_OnlyFlaggedClientChallenged_ThenPassesWithCookie()
    {
        await using var origin = await TestOrigin.StartAsync("origin");
        await using var gateway = await TestGateway.StartAsync(ChallengeGatewayFixture.Config(origin.Url, mode: "suspicious"));
        using var flaggedClient = new PowClient(gateway, "127.0.0.1");
        using var otherClient = new PowClient(gateway, "127.0.0.2");
        var suspicious = gateway.Host.Services.GetRequiredService<SuspiciousClients>();

        using var beforeFlag = await flaggedClient.GetPageAsync("https://app.test/");
        suspicious.Flag("127.0.0.1", "rate_limit", TimeSpan.FromMinutes(10));
        using var flagged = await flaggedClient.GetPageAsync("https://app.test/");
        using var notFlagged = await otherClient.GetPageAsync("https://app.test/");
        var (pass, _) = await flaggedClient.ObtainPassAsync("https://app.test/");
        using var withPass = await flaggedClient.GetPageAsync("https://app.test/", pass);
        suspicious.Clear("127.0.0.1");
        using var afterClear = await flaggedClient.GetPageAsync("https://app.test/");

        Assert.Equal(HttpStatusCode.OK, beforeFlag.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, flagged.StatusCode);
        Assert.Equal(HttpStatusCode.OK, notFlagged.StatusCode);
        Assert.Equal(HttpStatusCode.OK, withPass.StatusCode);
        Assert.Equal(HttpStatusCode.OK, afterClear.StatusCode);
        var e = await gateway.WaitForEventAsync(flagged.Headers.GetValues("X-Request-Id").Single());
        Assert.Equal(("issued", "no_pass; flagged: rate_limit"), (e.Challenge, e.ChallengeReason));
        Assert.Null((await gateway.WaitForEventAsync(notFlagged.Headers.GetValues("X-Request-Id").Single())).Challenge);
    }

    [Fact]
    public async Task Off_ByDefault_NothingChallengedAndNoKeyCreated()
    {
        await using var origin = await TestOrigin.StartAsync("origin");
        await using var gateway = await TestGateway.StartAsync(ChallengeGatewayFixture.Config(origin.Url, mode: "off").Replace("challenge: always", "", StringComparison.Ordinal));
        using var client = new PowClient(gateway);

        using var response = await client.GetPageAsync("https://app.test/");
        using var endpoint = await client.SendAsync(HttpMethod.Post, "https://other.test/.well-known/portcullis/challenge", null, "text/html");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // Without a challenge the path is the application's like any other.
        Assert.Equal(HttpStatusCode.OK, endpoint.StatusCode);
        Assert.False(File.Exists(Path.Combine(gateway.Directory, "data", "challenge", "hmac.key")));
    }

    [Fact]
    public async Task Key_RestartOnSameDataDir_PassStillValidAndKeyFilePrivate()
    {
        await using var origin = await TestOrigin.StartAsync("origin");
        using var dir = new TempDirectory();
        var config = ChallengeGatewayFixture.Config(origin.Url);
        string pass;
        await using (var first = await TestGateway.StartAsync(config, dir))
        {
            using var client = new PowClient(first);
            (pass, _) = await client.ObtainPassAsync("https://app.test/");
        }
        var keyPath = Path.Combine(dir.Path, "data", "challenge", "hmac.key");

        await using var second = await TestGateway.StartAsync(config, dir);
        using var again = new PowClient(second);
        using var response = await again.GetPageAsync("https://app.test/", pass);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(32, new FileInfo(keyPath).Length);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyPath));
        }
    }

    [Fact]
    public async Task Key_Reload_PassStillValidAndNewSettingsApply()
    {
        await using var origin = await TestOrigin.StartAsync("origin");
        await using var gateway = await TestGateway.StartAsync(ChallengeGatewayFixture.Config(origin.Url));
        using var client = new PowClient(gateway);
        var (pass, _) = await client.ObtainPassAsync("https://app.test/");

        var reloaded = Portcullis.Configuration.ConfigLoader.Parse(
            gateway.Expand(ChallengeGatewayFixture.Config(origin.Url).Replace("exempt: [/feeds]", "exempt: [/feeds, /docs]", StringComparison.Ordinal)), gateway.ConfigPath);
        Assert.Empty(await gateway.Host.ReloadAsync(reloaded.Config!));
        using var withPass = await client.GetPageAsync("https://app.test/", pass);
        using var newlyExempt = await client.GetPageAsync("https://app.test/docs/intro");

        Assert.Equal(HttpStatusCode.OK, withPass.StatusCode);
        Assert.Equal(HttpStatusCode.OK, newlyExempt.StatusCode);
    }

    [Fact]
    public async Task Key_FileOfWrongLength_StartFailsNamingIt()
    {
        await using var origin = await TestOrigin.StartAsync("origin");
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.Combine("data/challenge"));
        File.WriteAllBytes(dir.Combine("data/challenge/hmac.key"), new byte[7]);

        var error = await Assert.ThrowsAnyAsync<Exception>(() => TestGateway.StartAsync(ChallengeGatewayFixture.Config(origin.Url), dir));

        Assert.Contains("hmac.key", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("7 bytes", error.ToString(), StringComparison.Ordinal);
    }
}
