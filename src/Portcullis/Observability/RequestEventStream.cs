namespace Portcullis.Observability;

/// <summary>
/// Fans each completed request's <see cref="RequestEvent"/> out to every observer. Observers are fixed at start-up;
/// one failing observer never stops the others or the request.
/// </summary>
internal sealed class RequestEventStream(IEnumerable<IRequestEventObserver> observers)
{
    private readonly IRequestEventObserver[] _observers = observers.ToArray();

    public void Publish(RequestEvent requestEvent)
    {
        foreach (var observer in _observers)
        {
            try
            {
                observer.OnRequest(requestEvent);
            }
            catch (Exception)
            {
                // An observer bug must not turn into a failed request; observers log their own failures.
            }
        }
    }
}
