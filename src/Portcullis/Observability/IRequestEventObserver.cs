namespace Portcullis.Observability;

/// <summary>
/// Something that watches the request stream (access log, metrics, detectors). Called on the request's own
/// thread once the response has completed: implementations must not block; queue and return.
/// </summary>
internal interface IRequestEventObserver
{
    void OnRequest(RequestEvent requestEvent);
}
