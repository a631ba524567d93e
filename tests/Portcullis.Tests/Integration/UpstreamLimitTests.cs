using System.Net;
using Portcullis.Limits;
using Portcullis.Tests.TestSupport;

namespace Portcullis.Tests.Integration;

/// <summary>The per-upstream in-flight cap with its short queue (<c>upstream_limit</c>) in front of a real, slow origin.</summary>
public sealed class UpstreamLimitTests
{
    private static string Config(TestOrigin origin, string upstreamLimit) => RateLimitTests.Config(origin, "{ }", rootExtra: $"upstream_limit: {upstreamLimit}");

    [Fact]
    public async Task Forward_UpstreamFullAndQueueWaitRunsOut_503WithRetryAfter()
    {
        await using var origin = await TestOrigin.StartAsync("o");
        await using var gateway = await TestGateway.StartAsync(Config(origin, "{ max_in_flight: 1, queue: 1, queue_timeout: 300ms }"));
        using var client = gateway.CreateClient();

        var slow = client.GetAsync("https://app.test/slow?ms=3000");
        await Eventually.TrueAsync(() => origin.Requests == 1, "the slow request holds the upstream");
        var watch = System.Diagnostics.Stopwatch.StartNew();
        using var busy = await client.GetAsync("https://app.test/x");
        var waited = watch.Elapsed;
        using var otherRoute = await client.GetAsync("https://app.test/login");
        using var first = await slow;

        Assert.Equal(HttpStatusCode.ServiceUnavailable, busy.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), busy.Headers.RetryAfter?.Delta);
        // It waited in the queue for its 300 ms, not for the slow request.
        Assert.InRange(waited, TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(2500));
        Assert.Equal(HttpStatusCode.OK, otherRoute.StatusCode);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var e = await gateway.WaitForEventAsync(busy.Headers.GetValues("X-Request-Id").Single());
        Assert.Equal((503, LimitNames.UpstreamInFlight, "upstream_busy"), (e.StatusCode, e.Limit, e.Outcome));
    }

    [Fact]
    public async Task Forward_UpstreamFullWithRoomInTheQueue_WaitsForTheSlot()
    {
        await using var origin = await TestOrigin.StartAsync("o");
        await using var gateway = await TestGateway.StartAsync(Config(origin, "{ max_in_flight: 1, queue: 1, queue_timeout: 10s }"));
        using var client = gateway.CreateClient();

        // The slow request holds the only slot long enough for both others to reach the gate even on a loaded machine.
        var slow = client.GetAsync("https://app.test/slow?ms=3000");
        await Eventually.TrueAsync(() => origin.Requests == 1, "the slow request holds the upstream");
        // Of two more, whichever comes first takes the one queue place and is served once the slot frees; the other
        // finds the slot taken and the queue full and is refused at once.
        var responses = await Task.WhenAll(client.GetAsync("https://app.test/x"), client.GetAsync("https://app.test/y"));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable], responses.Select(r => r.StatusCode).Order());
        Assert.NotNull(responses.Single(r => r.StatusCode == HttpStatusCode.ServiceUnavailable).Headers.RetryAfter);
        foreach (var response in responses)
        {
            response.Dispose();
        }
        using var first = await slow;
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
    }
}
