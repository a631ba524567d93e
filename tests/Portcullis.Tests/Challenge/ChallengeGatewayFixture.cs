using Microsoft.Extensions.Logging;
using Portcullis.Hosting;
using Portcullis.Tests.TestSupport;

namespace Portcullis.Tests.Challenge;

/// <summary>
/// One real gateway for the challenge tests: site app (app.test, challenge always, difficulty 8, an exempt /api route
/// and exempt /feeds prefix), site other (other.test, also always), both in front of one real origin. Its clock is a
/// <see cref="ManualTimeProvider"/> started at the real time, so a test can let a pass expire.
/// </summary>
public sealed class ChallengeGatewayFixture : IAsyncLifetime
{
    public const int Difficulty = 8;

    private TestOrigin? _origin;
    private TestGateway? _gateway;

    internal ManualTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    internal TestOrigin Origin => _origin ?? throw new InvalidOperationException("not started");

    internal TestGateway Gateway => _gateway ?? throw new InvalidOperationException("not started");

    internal static string Config(string originUrl, string mode = "always") => $$"""
        listen: { https: "{https}", http: "{http}" }
        data_dir: "{data}"
        sites:
          - name: app
            hosts: [app.test]
            challenge: { mode: {{mode}}, difficulty: {{Difficulty}}, pass_ttl: 30m, exempt: [/feeds] }
            routes:
              - { path: /, upstreams: ["{{originUrl}}"] }
              - { path: /api, upstreams: ["{{originUrl}}"], challenge: off }
          - name: other
            hosts: [other.test]
            challenge: always
            routes:
              - { path: /, upstreams: ["{{originUrl}}"] }
        """;

    public async Task InitializeAsync()
    {
        _origin = await TestOrigin.StartAsync("origin");
        _gateway = await TestGateway.StartAsync(Config(_origin.Url), options: new GatewayHostOptions { Time = Clock, MinimumLogLevel = LogLevel.Warning });
    }

    public async Task DisposeAsync()
    {
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }
        if (_origin is not null)
        {
            await _origin.DisposeAsync();
        }
    }
}
