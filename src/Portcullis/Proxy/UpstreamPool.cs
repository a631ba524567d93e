using Portcullis.Configuration;

namespace Portcullis.Proxy;

/// <summary>
/// A route's upstreams and the policy that picks one per request. Unavailable upstreams are skipped; when none
/// is available the pick falls back to all of them (nginx does the same): trying is better than a certain 502.
/// </summary>
internal sealed class UpstreamPool(IReadOnlyList<Upstream> upstreams, LoadBalancingPolicy policy)
{
    private readonly Upstream[] _upstreams = [.. upstreams];
    private uint _next;

    public IReadOnlyList<Upstream> Upstreams => _upstreams;

    public LoadBalancingPolicy Policy { get; } = policy;

    public Upstream Pick()
    {
        if (_upstreams.Length == 1)
        {
            return _upstreams[0];
        }
        return Policy == LoadBalancingPolicy.LeastRequests ? PickLeastRequests() : PickRoundRobin();
    }

    private Upstream PickRoundRobin()
    {
        var turn = Interlocked.Increment(ref _next);
        var available = 0;
        foreach (var upstream in _upstreams)
        {
            available += upstream.Health.IsAvailable ? 1 : 0;
        }
        if (available == 0)
        {
            return _upstreams[(int)(turn % (uint)_upstreams.Length)];
        }
        // Take the turn-th available upstream, so a dead upstream's share spreads over all the others
        // instead of falling to its next neighbour.
        var index = (int)(turn % (uint)available);
        foreach (var upstream in _upstreams)
        {
            if (upstream.Health.IsAvailable && index-- == 0)
            {
                return upstream;
            }
        }
        // Availability changed during the scan: any upstream will do for this one request.
        return _upstreams[(int)(turn % (uint)_upstreams.Length)];
    }

    private Upstream PickLeastRequests()
    {
        // Start the scan at a rotating offset so ties spread instead of always landing on the first upstream.
        var start = (int)(Interlocked.Increment(ref _next) % (uint)_upstreams.Length);
        Upstream? best = null;
        for (var i = 0; i < _upstreams.Length; i++)
        {
            var candidate = _upstreams[(start + i) % _upstreams.Length];
            if (candidate.Health.IsAvailable && (best is null || candidate.InFlight < best.InFlight))
            {
                best = candidate;
            }
        }
        return best ?? _upstreams[start];
    }
}
