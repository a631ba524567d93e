using Portcullis.Proxy;
using Portcullis.Tests.TestSupport;

namespace Portcullis.Tests.Proxy;

public sealed class UpstreamRegistryTests
{
    private readonly ManualTimeProvider _time = new();
    private readonly UpstreamRegistry _registry;

    public UpstreamRegistryTests() => _registry = new UpstreamRegistry(_time);

    [Theory]
    [InlineData("http://127.0.0.1:3000", "http://127.0.0.1:3000")]
    [InlineData("http://127.0.0.1:3000", "http://127.0.0.1:3000/")]
    [InlineData("http://app.internal:3000/", "http://APP.internal:3000")]
    [InlineData("http://app.internal/", "http://app.internal:80")]
    [InlineData("https://app.internal", "https://app.internal:443/")]
    [InlineData("http://127.0.0.1:3000/api", "http://127.0.0.1:3000/api/")]
    [InlineData("http://127.0.0.1:3000/api?x=1", "http://127.0.0.1:3000/api")]
    public void Create_SameUrl_SharesHealth(string first, string second)
    {
        var a = _registry.Create(new Uri(first));
        var b = _registry.Create(new Uri(second));

        Assert.Same(a.Health, b.Health);
    }

    [Theory]
    [InlineData("http://127.0.0.1:3000", "http://127.0.0.1:3001")]
    [InlineData("http://127.0.0.1:3000", "http://127.0.0.2:3000")]
    [InlineData("http://app.internal", "https://app.internal")]
    [InlineData("http://127.0.0.1:3000/api", "http://127.0.0.1:3000/")]
    [InlineData("http://127.0.0.1:3000/api", "http://127.0.0.1:3000/v2")]
    public void Create_DifferentUrl_SeparateHealth(string first, string second)
    {
        var a = _registry.Create(new Uri(first));
        var b = _registry.Create(new Uri(second));

        Assert.NotSame(a.Health, b.Health);
    }

    [Fact]
    public void Create_SharedHealth_FailureSeenThroughEveryUpstream()
    {
        var routeA = _registry.Create(new Uri("http://127.0.0.1:3000"));
        var routeB = _registry.Create(new Uri("http://127.0.0.1:3000/"));
        var other = _registry.Create(new Uri("http://127.0.0.1:3001"));

        routeA.Health.ReportFailure(1, TimeSpan.FromSeconds(10));

        Assert.False(routeB.Health.IsAvailable);
        Assert.True(other.Health.IsAvailable);
    }

    [Fact]
    public void Create_HealthUsesRegistryClock()
    {
        var upstream = _registry.Create(new Uri("http://127.0.0.1:3000"));
        upstream.Health.ReportFailure(1, TimeSpan.FromSeconds(10));

        _time.Advance(TimeSpan.FromSeconds(10));

        Assert.True(upstream.Health.IsAvailable);
    }

    [Fact]
    public void Create_KeepsAddressAndBuildsPrefixWithoutTrailingSlash()
    {
        var upstream = _registry.Create(new Uri("http://127.0.0.1:3000/api/"));

        Assert.Equal(new Uri("http://127.0.0.1:3000/api/"), upstream.Address);
        Assert.Equal("http://127.0.0.1:3000/api", upstream.Prefix);
        Assert.Equal(0, upstream.InFlight);
    }
}
