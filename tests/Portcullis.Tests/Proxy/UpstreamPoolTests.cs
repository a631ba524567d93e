using Portcullis.Configuration;
using Portcullis.Proxy;
using Portcullis.Tests.TestSupport;

namespace Portcullis.Tests.Proxy;

public sealed class UpstreamPoolTests
{
    private readonly ManualTimeProvider _time = new();

    private Upstream[] Upstreams(int count) =>
        [.. Enumerable.Range(0, count).Select(i => new Upstream(new Uri($"http://10.0.0.{i + 1}:3000"), new UpstreamHealth(_time)))];

    private static Dictionary<Upstream, int> Count(UpstreamPool pool, int picks)
    {
        var counts = pool.Upstreams.ToDictionary(u => u, _ => 0);
        for (var i = 0; i < picks; i++)
        {
            counts[pool.Pick()]++;
        }
        return counts;
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    public void Pick_RoundRobin_SpreadsEvenly(int count)
    {
        var pool = new UpstreamPool(Upstreams(count), LoadBalancingPolicy.RoundRobin);

        var counts = Count(pool, count * 100);

        Assert.All(counts.Values, c => Assert.Equal(100, c));
    }

    [Fact]
    public void Pick_RoundRobin_CyclesInOrder()
    {
        var upstreams = Upstreams(3);
        var pool = new UpstreamPool(upstreams, LoadBalancingPolicy.RoundRobin);

        var picks = Enumerable.Range(0, 12).Select(_ => pool.Pick()).ToArray();

        for (var i = 0; i + 1 < picks.Length; i++)
        {
            Assert.NotSame(picks[i], picks[i + 1]);
        }
        for (var i = 0; i + 3 < picks.Length; i++)
        {
            Assert.Same(picks[i], picks[i + 3]);
        }
    }

    [Fact]
    public void Pick_RoundRobin_SkipsUnavailable()
    {
        var upstreams = Upstreams(3);
        upstreams[1].Health.SetActive(false);
        var pool = new UpstreamPool(upstreams, LoadBalancingPolicy.RoundRobin);

        var counts = Count(pool, 300);

        Assert.Equal(0, counts[upstreams[1]]);
        Assert.True(counts[upstreams[0]] > 0);
        Assert.True(counts[upstreams[2]] > 0);
    }

    [Fact]
    public void Pick_RoundRobinWithUnavailable_SpreadsEvenlyOverTheRest()
    {
        var upstreams = Upstreams(4);
        upstreams[1].Health.SetActive(false);
        upstreams[2].Health.SetActive(false);
        var pool = new UpstreamPool(upstreams, LoadBalancingPolicy.RoundRobin);

        var counts = Count(pool, 400);

        Assert.Equal(200, counts[upstreams[0]]);
        Assert.Equal(200, counts[upstreams[3]]);
    }

    [Fact]
    public void Pick_RoundRobinPassiveCooldownOver_UpstreamBackInRotation()
    {
        var upstreams = Upstreams(2);
        upstreams[0].Health.ReportFailure(1, TimeSpan.FromSeconds(10));
        var pool = new UpstreamPool(upstreams, LoadBalancingPolicy.RoundRobin);

        Assert.Equal(0, Count(pool, 10)[upstreams[0]]);

        _time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(5, Count(pool, 10)[upstreams[0]]);
    }

    [Fact]
    public void Pick_RoundRobinAllUnavailable_FallsBackToAllOfThem()
    {
        var upstreams = Upstreams(3);
        foreach (var upstream in upstreams)
        {
            upstream.Health.SetActive(false);
        }
        var pool = new UpstreamPool(upstreams, LoadBalancingPolicy.RoundRobin);

        var counts = Count(pool, 30);

        // Still one per request (trying beats a certain 502), and still rotating rather than hammering one.
        Assert.All(counts.Values, c => Assert.Equal(10, c));
    }

    [Fact]
    public void Pick_LeastRequestsAllUnavailable_StillReturnsOne()
    {
        var upstreams = Upstreams(3);
        foreach (var upstream in upstreams)
        {
            upstream.Health.ReportFailure(1, TimeSpan.FromMinutes(1));
        }
        var pool = new UpstreamPool(upstreams, LoadBalancingPolicy.LeastRequests);

        var counts = Count(pool, 30);

        Assert.Equal(30, counts.Values.Sum());
        Assert.All(counts.Values, c => Assert.True(c > 0));
    }

    [Fact]
    public void Pick_SingleUpstream_AlwaysReturnsItEvenWhenUnavailable()
    {
        var upstreams = Upstreams(1);
        upstreams[0].Health.SetActive(false);

        var roundRobin = new UpstreamPool(upstreams, LoadBalancingPolicy.RoundRobin);
        var leastRequests = new UpstreamPool(upstreams, LoadBalancingPolicy.LeastRequests);

        Assert.Same(upstreams[0], roundRobin.Pick());
        Assert.Same(upstreams[0], leastRequests.Pick());
    }

    [Fact]
    public void Pick_LeastRequests_PicksFewestInFlight()
    {
        var upstreams = Upstreams(3);
        upstreams[0].Enter();
        upstreams[0].Enter();
        upstreams[1].Enter();
        var pool = new UpstreamPool(upstreams, LoadBalancingPolicy.LeastRequests);

        for (var i = 0; i < 6; i++)
        {
            Assert.Same(upstreams[2], pool.Pick());
        }

        upstreams[2].Enter();
        upstreams[2].Enter();

        for (var i = 0; i < 6; i++)
        {
            Assert.Same(upstreams[1], pool.Pick());
        }

        upstreams[0].Leave();
        upstreams[0].Leave();

        Assert.Same(upstreams[0], pool.Pick());
    }

    [Fact]
    public void Pick_LeastRequests_SkipsUnavailableEvenWithFewerInFlight()
    {
        var upstreams = Upstreams(3);
        upstreams[0].Enter();
        upstreams[1].Enter();
        upstreams[1].Enter();
        upstreams[2].Health.SetActive(false); // idle but out
        var pool = new UpstreamPool(upstreams, LoadBalancingPolicy.LeastRequests);

        for (var i = 0; i < 6; i++)
        {
            Assert.Same(upstreams[0], pool.Pick());
        }
    }

    [Fact]
    public void Pick_LeastRequestsTies_SpreadsOverAllTied()
    {
        var upstreams = Upstreams(3);
        var pool = new UpstreamPool(upstreams, LoadBalancingPolicy.LeastRequests);

        var counts = Count(pool, 30);

        Assert.All(counts.Values, c => Assert.Equal(10, c));
    }

    [Fact]
    public void Pick_LeastRequestsFollowsLoad_BalancesWhenRequestsStayOpen()
    {
        var upstreams = Upstreams(3);
        var pool = new UpstreamPool(upstreams, LoadBalancingPolicy.LeastRequests);

        // Requests that never finish: each pick should go where the fewest are open.
        for (var i = 0; i < 30; i++)
        {
            pool.Pick().Enter();
        }

        Assert.All(upstreams, u => Assert.Equal(10, u.InFlight));
    }

    [Fact]
    public void Constructor_KeepsUpstreamsAndPolicy()
    {
        var upstreams = Upstreams(2);

        var pool = new UpstreamPool(upstreams, LoadBalancingPolicy.LeastRequests);

        Assert.Equal(upstreams, pool.Upstreams);
        Assert.Equal(LoadBalancingPolicy.LeastRequests, pool.Policy);
    }
}
