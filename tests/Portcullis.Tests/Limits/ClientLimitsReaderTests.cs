using Portcullis.Configuration;

namespace Portcullis.Tests.Limits;

public sealed class ClientLimitsReaderTests
{
    private static ConfigLoadResult Load(string clientLimits, string siteExtra = "", string routeExtra = "") => ConfigLoader.Parse($$"""
        data_dir: /tmp/unused
        {{clientLimits}}
        sites:
          - name: shop
            hosts: [shop.test]
            {{siteExtra}}
            routes:
              - path: /
                upstreams: ["http://127.0.0.1:3000"]
                {{routeExtra}}
        """, "/tmp/portcullis.yaml");

    [Fact]
    public void Read_NoSection_DefaultsOffForRatesAndCapsOn()
    {
        var config = Load("").Config!;

        Assert.False(config.ClientLimits.RateLimit.Enabled);
        Assert.Equal(64, config.ClientLimits.Ipv6Prefix);
        Assert.Equal(256, config.ClientLimits.MaxConnections);
        Assert.Equal(256, config.ClientLimits.MaxRequestsInFlight);
        Assert.Null(config.Sites[0].RateLimit);
        Assert.Null(config.Sites[0].Routes[0].UpstreamLimit);
    }

    [Theory]
    [InlineData("20/s", 20, 1.0, 20)]
    [InlineData("600/m", 600, 60.0, 600)]
    [InlineData("1000/h", 1000, 3600.0, 1000)]
    [InlineData("10000/d", 10000, 86400.0, 10000)]
    public void Read_Rate_RequestsPerUnitAndBurstDefaultsToTheCount(string rate, int requests, double perSeconds, int burst)
    {
        var config = Load($"client_limits: {{ rate_limit: {{ rate: {rate} }} }}").Config!;

        var limit = config.ClientLimits.RateLimit;
        Assert.True(limit.Enabled);
        Assert.Equal(requests, limit.Requests);
        Assert.Equal(TimeSpan.FromSeconds(perSeconds), limit.Per);
        Assert.Equal(burst, limit.Burst);
    }

    [Fact]
    public void Read_SiteAndRouteLevels_OverrideAndOff()
    {
        var config = Load("client_limits: { rate_limit: { rate: 20/s, burst: 40 }, ipv6_prefix: 56, max_connections: off, max_requests_in_flight: 10 }",
            "rate_limit: { rate: 5/s, burst: 5 }",
            "rate_limit: off\n        upstream_limit: { max_in_flight: 50, queue: 10, queue_timeout: 500ms }").Config!;

        Assert.Equal(40, config.ClientLimits.RateLimit.Burst);
        Assert.Equal(56, config.ClientLimits.Ipv6Prefix);
        Assert.Null(config.ClientLimits.MaxConnections);
        Assert.Equal(10, config.ClientLimits.MaxRequestsInFlight);
        Assert.Equal(5, config.Sites[0].RateLimit!.Requests);
        Assert.False(config.Sites[0].Routes[0].RateLimit!.Enabled);
        Assert.Equal(new UpstreamLimitConfig { MaxInFlight = 50, Queue = 10, QueueTimeout = TimeSpan.FromMilliseconds(500) }, config.Sites[0].Routes[0].UpstreamLimit);
    }

    [Theory]
    [InlineData("client_limits: { rate_limit: { rate: 20 } }", "is not a rate")]
    [InlineData("client_limits: { rate_limit: { rate: 20/w } }", "is not a rate")]
    [InlineData("client_limits: { rate_limit: { rate: 0/s } }", "is not a rate")]
    [InlineData("client_limits: { rate_limit: { burst: 5 } }", "'rate' is required")]
    [InlineData("client_limits: { rate_limit: { rate: 5/s, burst: 0 } }", "burst")]
    [InlineData("client_limits: { rate_limit: { rate: 5/s, brust: 9 } }", "unknown key 'brust'")]
    [InlineData("client_limits: { ipv6_prefix: 8 }", "ipv6_prefix")]
    [InlineData("client_limits: { max_connections: 0 }", "max_connections")]
    [InlineData("client_limits: { rate: 5/s }", "unknown key 'rate'")]
    public void Read_Invalid_ErrorNamesTheKey(string yaml, string expected)
    {
        var result = Load(yaml);

        Assert.False(result.Succeeded);
        Assert.Contains(result.Errors, e => e.ToString().Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Read_InvalidRouteUpstreamLimit_ErrorNamesTheRoute()
    {
        var result = Load("", routeExtra: "upstream_limit: { max_in_flight: 0 }");

        Assert.False(result.Succeeded);
        Assert.Contains(result.Errors, e => e.ToString().Contains("max_in_flight", StringComparison.Ordinal));
    }
}
