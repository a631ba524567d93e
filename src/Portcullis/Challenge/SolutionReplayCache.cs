namespace Portcullis.Challenge;

/// <summary>
/// Remembers the ids of solved challenges so each solution earns one pass. Memory stays bounded by two generations
/// of at most <c>capacity</c> ids each (16-byte keys, ~40 bytes an entry: 100,000 ids ≈ 8 MB at most):
/// <list type="bullet">
/// <item>A generation spans one token lifetime. An id lands in the current one when used, and is dropped once two
/// rotations have passed — by then its token has expired and <see cref="ChallengeToken"/> refuses it anyway.</item>
/// <item>A generation that fills up before its time is rotated early, dropping the older one. Ids in it may still
/// belong to live tokens, so every token issued before the new previous generation started is refused from then on
/// as <see cref="ReplayCheck.Stale"/> (its browser simply gets a fresh challenge). So single use holds even under a
/// flood of solutions; the flood only costs honest clients a second solve.</item>
/// </list>
/// Solutions are rare (one per client per pass lifetime), so one lock is enough.
/// </summary>
internal sealed class SolutionReplayCache(int capacity, TimeSpan lifetime)
{
    public const int DefaultCapacity = 100_000;

    private readonly Lock _lock = new();
    private HashSet<UInt128> _current = [];
    private HashSet<UInt128> _previous = [];
    private DateTimeOffset _currentStart = DateTimeOffset.MinValue;
    private DateTimeOffset _forgetBefore = DateTimeOffset.MinValue;

    /// <summary>Times a full generation forced an early rotation (a sign of a solution flood).</summary>
    public int EarlyRotations { get; private set; }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _current.Count + _previous.Count;
            }
        }
    }

    /// <summary>Records the use of a challenge id; <see cref="ReplayCheck.Fresh"/> only the first time.</summary>
    public ReplayCheck TryUse(UInt128 id, DateTimeOffset issued, DateTimeOffset now)
    {
        lock (_lock)
        {
            if (issued < _forgetBefore)
            {
                return ReplayCheck.Stale;
            }
            if (now - _currentStart >= lifetime)
            {
                _previous = now - _currentStart >= 2 * lifetime ? [] : _current;
                _current = [];
                _currentStart = now;
            }
            if (_previous.Contains(id) || _current.Contains(id))
            {
                return ReplayCheck.Replayed;
            }
            if (_current.Count >= capacity)
            {
                // Ids used before _currentStart may sit in the generation dropped here: refuse their tokens from now on.
                _forgetBefore = _currentStart;
                _previous = _current;
                _current = [];
                _currentStart = now;
                EarlyRotations++;
                if (issued < _forgetBefore)
                {
                    return ReplayCheck.Stale;
                }
            }
            _current.Add(id);
            return ReplayCheck.Fresh;
        }
    }
}

internal enum ReplayCheck
{
    Fresh,
    Replayed,

    /// <summary>Issued before an early rotation forgot ids of its age: treated like an expired token.</summary>
    Stale,
}
