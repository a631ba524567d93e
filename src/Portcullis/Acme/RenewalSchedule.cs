namespace Portcullis.Acme;

/// <summary>
/// When to renew and when to retry. Renewal starts when a third of the lifetime is left (90-day certificates: at
/// 30 days, as certbot and Caddy do), moved earlier by up to 1/30 of the lifetime at random so a fleet that
/// started together does not hit the CA together. A CA that publishes a renewal window (ARI, RFC 9773 §4.2) is
/// followed instead: a random moment inside its window. Failures back off exponentially with jitter.
/// </summary>
internal sealed class RenewalSchedule(Random random)
{
    /// <summary>First retry after a failed order; doubled per consecutive failure.</summary>
    public TimeSpan RetryBase { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Longest wait between attempts (Let's Encrypt's failed-validation limit resets hourly).</summary>
    public TimeSpan RetryMax { get; init; } = TimeSpan.FromHours(6);

    public DateTimeOffset RenewAt(StoredCertificate certificate, RenewalWindowTimes? window)
    {
        if (window is { } w && w.End > w.Start)
        {
            return w.Start + (w.End - w.Start) * random.NextDouble();
        }
        var lifetime = certificate.Lifetime;
        var jitter = lifetime / 30 * random.NextDouble();
        return certificate.NotAfter - lifetime / 3 - jitter;
    }

    /// <summary>Delay before attempt number <paramref name="failures"/>+1: base × 2^(failures−1), capped, ±10 %.</summary>
    public TimeSpan RetryDelay(int failures)
    {
        var exponent = Math.Clamp(failures - 1, 0, 30);
        var delay = Math.Min(RetryBase.TotalSeconds * Math.Pow(2, exponent), RetryMax.TotalSeconds);
        return TimeSpan.FromSeconds(delay * (0.9 + 0.2 * random.NextDouble()));
    }
}

/// <summary>A suggested renewal window (start inclusive, end exclusive).</summary>
internal readonly record struct RenewalWindowTimes(DateTimeOffset Start, DateTimeOffset End);
