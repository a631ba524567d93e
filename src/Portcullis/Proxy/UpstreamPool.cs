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
        var start = Interlocked.Increment(ref _next);
        for (var i = 0; i < _upstreams.Length; i++)
        {
            var candidate = _upstreams[(int)((start + (uint)i) % (uint)_upstreams.Length)];
            if (candidate.Health.IsAvailable)
            {
                return candidate;
            }
        }
        return _upstreams[(int)(start % (uint)_upstreams.Length)];
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
