using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Portcullis.Configuration;

namespace Portcullis.Hosting;

/// <summary>
/// Reloads the config when its file changes or on SIGHUP: load and validate the whole file, build the new
/// generation, then swap (Caddy's build-validate-swap). A bad file changes nothing and its errors are logged.
/// </summary>
internal sealed class ConfigReloader : IDisposable
{
    /// <summary>Editors write a file in several steps (truncate, write, rename); wait for it to settle.</summary>
    private static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(300);

    private readonly GatewayHost _host;
    private readonly string _path;
    private readonly ILogger _logger;
    private readonly FileSystemWatcher _watcher;
    private readonly PosixSignalRegistration? _sighup;
    private readonly Timer _timer;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private string _pendingReason = "file changed";

    public ConfigReloader(GatewayHost host, string path, ILogger logger)
    {
        _host = host;
        _path = Path.GetFullPath(path);
        _logger = logger;
        _timer = new Timer(_ => _ = ReloadFromTimerAsync(), null, Timeout.Infinite, Timeout.Infinite);
        _watcher = new FileSystemWatcher(Path.GetDirectoryName(_path)!, Path.GetFileName(_path))
        {
            NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.Size | NotifyFilters.CreationTime,
        };
        _watcher.Changed += (_, _) => Schedule("file changed");
        _watcher.Created += (_, _) => Schedule("file changed");
        _watcher.Renamed += (_, _) => Schedule("file replaced");
        _watcher.EnableRaisingEvents = true;
        if (!OperatingSystem.IsWindows())
        {
            _sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
            {
                // Handled: SIGHUP means "reload" to a server, not "terminate".
                context.Cancel = true;
                Schedule("SIGHUP");
            });
        }
    }

    /// <summary>Completed reloads (successful or rejected), for tests and status output.</summary>
    public int Attempts { get; private set; }

    private void Schedule(string reason)
    {
        _pendingReason = reason;
        _timer.Change(Debounce, Timeout.InfiniteTimeSpan);
    }

    private async Task ReloadFromTimerAsync()
    {
        try
        {
            await ReloadAsync(_pendingReason);
        }
        catch (Exception ex)
        {
            // Fire-and-forget from a timer: nothing else would see this failure, and the running config stays.
            GatewayLog.ReloadRejected(_logger, $"unexpected error while reloading: {ex.Message}");
        }
    }

    /// <summary>Loads the file and swaps it in; returns the errors (empty on success).</summary>
    public async Task<IReadOnlyList<string>> ReloadAsync(string reason)
    {
        await _gate.WaitAsync();
        try
        {
            GatewayLog.Reloading(_logger, reason);
            var result = ConfigLoader.Load(_path);
            if (!result.Succeeded)
            {
                var errors = result.Errors.Select(e => e.ToString()).ToList();
                foreach (var error in errors)
                {
                    GatewayLog.ReloadRejected(_logger, error);
                }
                return errors;
            }
            return await _host.ReloadAsync(result.Config!);
        }
        finally
        {
            Attempts++;
            _gate.Release();
        }
    }

    public void Dispose()
    {
        _watcher.Dispose();
        _sighup?.Dispose();
        _timer.Dispose();
        // Let a reload in progress finish, so it cannot swap in a generation after the host has retired the current one.
        if (_gate.Wait(TimeSpan.FromSeconds(10)))
        {
            _gate.Release();
        }
    }
}
