namespace Portcullis.Configuration;

/// <summary>
/// A per-client token bucket: <see cref="Requests"/> tokens every <see cref="Per"/>, holding at most
/// <see cref="Burst"/>. Written <c>rate: 20/s, burst: 40</c>, or <c>off</c>.
/// </summary>
internal sealed record RateLimitConfig
{
    /// <summary>No limit. A site or route says <c>rate_limit: off</c> to opt out of the one it would inherit.</summary>
    public static readonly RateLimitConfig Off = new() { Enabled = false };

    public bool Enabled { get; init; } = true;

    public int Requests { get; init; } = 1;

    public TimeSpan Per { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Tokens a client may spend at once after being quiet (the bucket's size).</summary>
    public int Burst { get; init; } = 1;

    /// <summary>Time to earn one token.</summary>
    public TimeSpan TokenInterval => Per / Requests;

    public override string ToString() => Enabled ? $"{Requests}/{UnitOf(Per)} burst {Burst}" : "off";

    private static string UnitOf(TimeSpan per) => per == TimeSpan.FromSeconds(1) ? "s" : per == TimeSpan.FromMinutes(1) ? "m" : per == TimeSpan.FromHours(1) ? "h" : "d";
}
