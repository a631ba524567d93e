using Microsoft.Extensions.Logging;
using Portcullis.Configuration;
using Portcullis.Hosting;

namespace Portcullis.Acme;

/// <summary>
/// Keeps every site with <c>tls: { acme: true }</c> supplied with a certificate: one worker per site orders,
/// stores, serves and renews (<see cref="AcmeSiteWorker"/>). <see cref="Sync"/> follows the running config:
/// workers start for new ACME sites and stop for removed ones; a site whose hosts or CA changed starts over.
/// Orders run one at a time, which is what CAs' rate limits and a 2-core box both prefer.
/// </summary>
internal sealed class AcmeCertificateManager(GatewayState state, AcmeChallengeStores challenges, TimeProvider time, ILoggerFactory loggers, AcmeManagerOptions options)
    : IAsyncDisposable
{
    private readonly Dictionary<string, ((string Hosts, string DataDir, AcmeConfig Acme) Key, AcmeSiteWorker Worker)> _workers = new(StringComparer.OrdinalIgnoreCase);
    private readonly AcmeSessionCache _sessions = new(time, loggers.CreateLogger("Portcullis.Acme"));
    private readonly SemaphoreSlim _oneOrderAtATime = new(1, 1);
    private readonly Lock _lock = new();
    private readonly List<Task> _retiring = [];
    private bool _disposed;

    /// <summary>What each ACME site's worker knows now.</summary>
    public IReadOnlyList<AcmeSiteStatus> Status()
    {
        lock (_lock)
        {
            return [.. _workers.Values.Select(w => w.Worker.Status)];
        }
    }

    public AcmeSiteStatus? Status(string site)
    {
        lock (_lock)
        {
            return _workers.TryGetValue(site, out var entry) ? entry.Worker.Status : null;
        }
    }

    /// <summary>Starts, keeps or stops workers so that exactly the ACME sites of <paramref name="snapshot"/> have one.</summary>
    public void Sync(GatewaySnapshot snapshot)
    {
        var stale = new List<AcmeSiteWorker>();
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }
            var wanted = snapshot.Sites.Where(s => s.Config.Tls.Acme).ToDictionary(s => s.Name, s => s.Config, StringComparer.OrdinalIgnoreCase);
            foreach (var (name, entry) in _workers.ToList())
            {
                if (!wanted.TryGetValue(name, out var site) || WorkerKey(snapshot.Config, site) != entry.Key)
                {
                    stale.Add(entry.Worker);
                    _workers.Remove(name);
                }
            }
            foreach (var (name, site) in wanted)
            {
                if (_workers.TryGetValue(name, out var kept))
                {
                    // The new generation was built from the store, maybe just before an order saved a newer certificate
                    // and installed it into the old generation: put the newest into the new one.
                    kept.Worker.InstallLatest();
                    continue;
                }
                var worker = new AcmeSiteWorker(site.Name, site.Hosts, snapshot.Config, state, challenges, _sessions, _oneOrderAtATime,
                    time, options, loggers.CreateLogger<AcmeSiteWorker>());
                _workers[name] = (WorkerKey(snapshot.Config, site), worker);
                worker.Start();
            }
        }
        lock (_lock)
        {
            _retiring.RemoveAll(t => t.IsCompleted);
            // Stopped in the background (an order in flight finishes its HTTP call first), awaited on shutdown.
            _retiring.AddRange(stale.Select(w => w.DisposeAsync().AsTask()));
        }
    }

    /// <summary>What makes a worker's job: the names, the CA and account settings (a record, compared by value), and where certificates are kept.</summary>
    private static (string Hosts, string DataDir, AcmeConfig Acme) WorkerKey(GatewayConfig config, SiteConfig site) =>
        (string.Join(",", site.Hosts), config.DataDir, config.Tls.Acme);
    public async ValueTask DisposeAsync()
    {
        List<AcmeSiteWorker> workers;
        List<Task> retiring;
        lock (_lock)
        {
            _disposed = true;
            workers = [.. _workers.Values.Select(w => w.Worker)];
            _workers.Clear();
            retiring = [.. _retiring];
        }
        foreach (var worker in workers)
        {
            await worker.DisposeAsync();
        }
        await Task.WhenAll(retiring);
        _sessions.Dispose();
        _oneOrderAtATime.Dispose();
    }
}
