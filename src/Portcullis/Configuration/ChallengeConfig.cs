namespace Portcullis.Configuration;

/// <summary>
/// A site's challenge mode (<c>challenge:</c>): whether browsers must solve a proof-of-work before they reach the
/// site, and how hard it is. See docs/challenge.md.
/// </summary>
internal sealed record ChallengeConfig
{
    public static readonly ChallengeConfig Off = new();

    public ChallengeMode Mode { get; init; } = ChallengeMode.Off;

    /// <summary>
    /// Leading zero bits the SHA-256 of the answer must have: 2^N hashes on average. 16 is Anubis's default (four hex
    /// zeros): 65,536 WebCrypto digests, about 2 s in headless Chromium on a loaded 2-core machine (docs/challenge.md);
    /// every step up doubles it.
    /// </summary>
    public int Difficulty { get; init; } = 16;

    /// <summary>How long the pass cookie lets a client through before it is challenged again (Anubis and BunkerWeb use hours to a day).</summary>
    public TimeSpan PassLifetime { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Path prefixes (segment-boundary, like routes) that are never challenged: APIs, webhooks, feeds.</summary>
    public IReadOnlyList<string> ExemptPaths { get; init; } = [];
}

internal enum ChallengeMode
{
    /// <summary>Nobody is challenged.</summary>
    Off,

    /// <summary>Only clients something flagged (rate limits, detectors) are challenged.</summary>
    Suspicious,

    /// <summary>Every client without a valid pass is challenged.</summary>
    Always,
}
