namespace Portcullis.Limits;

/// <summary>
/// The moment a client goes over one of its limits (a rate limit, the in-flight or connection cap). One hook, so
/// that other parts (the challenge's <c>suspicious</c> mode, later detectors) can learn which clients push against
/// the limits without the limits knowing about them. Called on the request or accept path: handlers must be quick
/// and must not throw (an exception is swallowed).
/// </summary>
internal sealed class LimitSignals
{
    /// <summary>Receives the client (<see cref="ClientKey.ToString"/>, like "203.0.113.7" or "2001:db8::/64") and the limit's name ("rate:site:shop").</summary>
    public Action<string, string>? OverLimit { get; set; }

    public void Raise(ClientKey client, string limit)
    {
        if (OverLimit is not { } handler)
        {
            return;
        }
        try
        {
            handler(client.ToString(), limit);
        }
        catch (Exception)
        {
            // A listener's bug must not turn a refusal into a failed request.
        }
    }
}
