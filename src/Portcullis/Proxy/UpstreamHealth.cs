namespace Portcullis.Proxy;

/// <summary>
/// Health of one upstream URL: the active check's last verdict and the passive failure streak. An upstream is
/// available when the active check has not failed it and it is not cooling down after passive failures.
/// </summary>
internal sealed class UpstreamHealth(TimeProvider time)
{
    private volatile bool _activeHealthy = true;
    private int _consecutiveFailures;
    private long _cooldownUntilTicks;

    public bool IsAvailable => _activeHealthy && time.GetUtcNow().UtcTicks >= Interlocked.Read(ref _cooldownUntilTicks);

    public bool ActiveHealthy => _activeHealthy;

    public int ConsecutiveFailures => Volatile.Read(ref _consecutiveFailures);

    /// <summary>Records the active check's verdict. Returns true when the verdict changed.</summary>
    public bool SetActive(bool healthy)
    {
        var changed = _activeHealthy != healthy;
        _activeHealthy = healthy;
        if (healthy && changed)
        {
            // An active check that turns from failing to passing also ends a passive cooldown: the upstream
            // demonstrably answers again. A check that was passing all along does not cut a cooldown short.
            Interlocked.Exchange(ref _cooldownUntilTicks, 0);
            Interlocked.Exchange(ref _consecutiveFailures, 0);
        }
        return changed;
    }

    /// <summary>A forward reached the upstream and got a response.</summary>
    public void ReportSuccess()
    {
        if (Volatile.Read(ref _consecutiveFailures) != 0)
        {
            Interlocked.Exchange(ref _consecutiveFailures, 0);
        }
    }

    /// <summary>A forward failed (connect error, reset, timeout). Returns true when this failure took the upstream out.</summary>
    public bool ReportFailure(int threshold, TimeSpan cooldown)
    {
        var failures = Interlocked.Increment(ref _consecutiveFailures);
        if (threshold <= 0 || failures < threshold)
        {
            return false;
        }
        Interlocked.Exchange(ref _consecutiveFailures, 0);
        Interlocked.Exchange(ref _cooldownUntilTicks, time.GetUtcNow().Add(cooldown).UtcTicks);
        return true;
    }
}
