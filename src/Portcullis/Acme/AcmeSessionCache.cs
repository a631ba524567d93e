using Microsoft.Extensions.Logging;
using Portcullis.Configuration;

namespace Portcullis.Acme;

/// <summary>
/// One open <see cref="AcmeAccountSession"/> per CA settings, shared by the sites that use them. A session that
/// failed is not kept: the next attempt opens a new one (the CA may have been down, or the settings fixed).
/// </summary>
internal sealed class AcmeSessionCache(TimeProvider time, ILogger logger) : IDisposable
{
    private readonly Dictionary<(AcmeConfig, string), AcmeAccountSession> _sessions = [];
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task<AcmeAccountSession> GetAsync(AcmeConfig config, string dataDir, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_sessions.TryGetValue((config, dataDir), out var session))
            {
                return session;
            }
            session = await AcmeAccountSession.OpenAsync(config, dataDir, time, logger, cancellationToken);
            _sessions[(config, dataDir)] = session;
            return session;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Drops the session after a failure that may be about the session itself (account, nonce, connection).</summary>
    public void Forget(AcmeConfig config, string dataDir)
    {
        _gate.Wait();
        try
        {
            if (_sessions.Remove((config, dataDir), out var session))
            {
                session.Dispose();
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose()
    {
        foreach (var session in _sessions.Values)
        {
            session.Dispose();
        }
        _sessions.Clear();
        _gate.Dispose();
    }
}
