namespace Portcullis.Proxy;

/// <summary>
/// Health state per upstream URL, kept for the life of the process so that a config reload neither forgets a
/// dead upstream nor resets a live one.
/// </summary>
internal sealed class UpstreamRegistry(TimeProvider time)
{
    private readonly Dictionary<string, UpstreamHealth> _health = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _lock = new();

    public Upstream Create(Uri address)
    {
        var key = address.GetLeftPart(UriPartial.Path).TrimEnd('/');
        lock (_lock)
        {
            if (!_health.TryGetValue(key, out var health))
            {
                health = new UpstreamHealth(time);
                _health[key] = health;
            }
            return new Upstream(address, health);
        }
    }
}
