using Portcullis.Configuration;

namespace Portcullis.Tests.Challenge;

/// <summary>The <c>challenge:</c> settings through the real config loader: defaults, valid and invalid values.</summary>
public sealed class ChallengeReaderTests
{
    private static ConfigLoadResult Load(string siteChallenge, string routeExtra = "") => ConfigLoader.Parse($$"""
        sites:
          - name: app
            hosts: [app.test]
            {{siteChallenge}}
            routes:
              - { path: /, upstreams: ["http://127.0.0.1:3000"] }
              - { path: /api, upstreams: ["http://127.0.0.1:3000"] {{routeExtra}} }
        """, "/tmp/portcullis-challenge-test/portcullis.yaml");

    [Fact]
    public void Site_NoChallengeKey_OffWithDefaults()
    {
        var result = Load("");

        var challenge = result.Config!.Sites[0].Challenge;
        Assert.Equal(ChallengeMode.Off, challenge.Mode);
        Assert.Equal(16, challenge.Difficulty);
        Assert.Equal(TimeSpan.FromHours(1), challenge.PassLifetime);
        Assert.Empty(challenge.ExemptPaths);
        Assert.False(result.Config.Sites[0].Routes[1].ChallengeExempt);
    }

    [Theory]
    [InlineData("challenge: always", "Always")]
    [InlineData("challenge: suspicious", "Suspicious")]
    [InlineData("challenge: off", "Off")]
    [InlineData("challenge: { mode: always }", "Always")]
    public void Site_Mode_Read(string yaml, string expected)
    {
        var result = Load(yaml);

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.Equal(expected, result.Config!.Sites[0].Challenge.Mode.ToString());
    }

    [Fact]
    public void Site_FullMap_AllSettingsRead()
    {
        var result = Load("challenge: { mode: suspicious, difficulty: 20, pass_ttl: 12h, exempt: [/webhooks/, /feeds] }", ", challenge: off");

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        var site = result.Config!.Sites[0];
        Assert.Equal(20, site.Challenge.Difficulty);
        Assert.Equal(TimeSpan.FromHours(12), site.Challenge.PassLifetime);
        Assert.Equal(["/webhooks", "/feeds"], site.Challenge.ExemptPaths);
        Assert.True(site.Routes[1].ChallengeExempt);
        Assert.False(site.Routes[0].ChallengeExempt);
    }

    [Theory]
    [InlineData("challenge: sometimes", "", "'sometimes' is not a challenge mode")]
    [InlineData("challenge: { mode: always, difficulty: 0 }", "", "difficulty")]
    [InlineData("challenge: { mode: always, difficulty: 29 }", "", "difficulty")]
    [InlineData("challenge: { mode: always, pass_ttl: 10s }", "", "pass_ttl")]
    [InlineData("challenge: { mode: always, exempt: [api] }", "", "'api' is not a path prefix")]
    [InlineData("challenge: { mode: always, difficuly: 4 }", "", "Did you mean 'difficulty'?")]
    [InlineData("challenge: { difficulty: 4 }", "", "'mode' is required")]
    [InlineData("challenge: always", ", challenge: always", "only 'off' is allowed on a route")]
    public void Invalid_Error(string site, string route, string expected)
    {
        var result = Load(site, route);

        Assert.False(result.Succeeded);
        Assert.Contains(result.Errors, e => e.ToString().Contains(expected, StringComparison.Ordinal));
    }
}
