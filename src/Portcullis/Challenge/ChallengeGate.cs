namespace Portcullis.Challenge;

/// <summary>
/// What the challenge keeps for the gateway's lifetime (across reloads): the keys from data_dir, loaded on first
/// use (or at start when a site uses challenges), the replay cache of solved ids, and the clock.
/// </summary>
internal sealed class ChallengeGate(string dataDir, TimeProvider time)
{
    private readonly Lazy<(ChallengeToken Tokens, PassCookie Passes)> _keys = new(() =>
    {
        var keys = ChallengeKeys.LoadOrCreate(dataDir);
        return (new ChallengeToken(keys.TokenKey), new PassCookie(keys.PassKey));
    });

    public TimeProvider Time { get; } = time;

    public string KeyPath { get; } = ChallengeKeyFile.PathIn(dataDir);

    public ChallengeToken Tokens => _keys.Value.Tokens;

    public PassCookie Passes => _keys.Value.Passes;

    public SolutionReplayCache Replays { get; } = new(SolutionReplayCache.DefaultCapacity, ChallengeToken.Lifetime);

    /// <summary>Loads or creates the key now, so a broken key file stops the start instead of a request.</summary>
    public void EnsureKeys() => _ = _keys.Value;
}
