using Microsoft.Extensions.Logging;
using Portcullis.Observability;

namespace Portcullis.Incidents;

/// <summary>
/// Writes an incident for every request the firewall blocked, or in detect mode would have blocked, to the event
/// store in data_dir (what <c>portcullis waf explain ID</c> and <c>waf report</c> read). The store opens on the first
/// incident, so a gateway that never blocks never creates the file.
/// </summary>
internal sealed partial class IncidentRecorder(Func<IncidentStoreOptions> options, TimeProvider time, ILogger<IncidentRecorder> logger) : IRequestEventObserver, IDisposable
{
    private readonly Lock _gate = new();
    private IncidentStore? _store;
    private bool _failed;

    public void OnRequest(RequestEvent requestEvent)
    {
        if (requestEvent.Waf is not { } waf || !IncidentFactory.WouldBlock(waf) || Store() is not { } store)
        {
            return;
        }
        store.Add(IncidentFactory.Create(requestEvent, requestEvent.Site ?? "", waf.RequestHeaders, waf.Scores));
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _store?.Dispose();
            _store = null;
        }
    }

    private IncidentStore? Store()
    {
        if (_store is { } open || _failed)
        {
            return _store;
        }
        lock (_gate)
        {
            if (_store is null && !_failed)
            {
                try
                {
                    _store = IncidentStore.Open(options(), time, logger);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException or InvalidOperationException)
                {
                    // Blocking goes on without the store; the security log still has every match.
                    _failed = true;
                    LogStoreFailed(logger, e, e.Message);
                }
            }
            return _store;
        }
    }

    [LoggerMessage(EventId = 1510, Level = LogLevel.Error, Message = "WAF incidents cannot be stored: {Reason}; blocked requests are still in logs/security.log")]
    private static partial void LogStoreFailed(ILogger logger, Exception exception, string reason);
}
