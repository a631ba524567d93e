using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Portcullis.Incidents;

/// <summary>
/// Keeps incidents in <c>data_dir/incidents.db</c> (SQLite, WAL). A request never waits for the disk:
/// <see cref="Add"/> only puts the incident on a bounded queue, and one background writer drains it in batches, one
/// transaction each. When the queue is full (the disk stalled, or a flood of blocked requests) the incident is
/// dropped and counted; the security log still has the request. Age and size limits are applied on open and on a
/// timer. Disposing flushes what is queued.
/// </summary>
internal sealed partial class IncidentStore : IDisposable
{
    /// <summary>Enough to amortise a commit, small enough that a batch never holds the write lock for long.</summary>
    private const int BatchSize = 256;

    /// <summary>How long disposing waits for the queue to drain before giving up on what is left.</summary>
    private static readonly TimeSpan FlushTimeout = TimeSpan.FromSeconds(10);

    private readonly Channel<QueueItem> _queue;
    private readonly SqliteConnection _connection;
    private readonly Lock _gate = new();
    private readonly IncidentStoreOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ITimer _pruneTimer;
    private readonly Task _writer;
    private readonly IncidentReader _reader;
    private long _dropped;
    private long _written;
    private bool _disposed;

    private IncidentStore(IncidentStoreOptions options, SqliteConnection connection, TimeProvider time, ILogger logger)
    {
        _options = options;
        _connection = connection;
        _time = time;
        _logger = logger;
        _reader = new IncidentReader(options.Path, readOnly: false);
        // Wait mode makes TryWrite refuse when full instead of blocking, which is the "drop and count" the caller wants.
        _queue = Channel.CreateBounded<QueueItem>(new BoundedChannelOptions(options.QueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _writer = Task.Run(WriteLoopAsync);
        _pruneTimer = time.CreateTimer(_ => PruneQuietly(), null, options.PruneInterval, options.PruneInterval);
    }

    /// <summary>Incidents refused because the queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Incidents committed to the file by this store.</summary>
    public long Written => Interlocked.Read(ref _written);

    public string Path => _options.Path;

    /// <summary>
    /// Opens (or creates) the file, applies the limits and starts the writer. Throws <see cref="SqliteException"/>
    /// or <see cref="InvalidOperationException"/> when the file cannot be used (unwritable, corrupt, a newer schema).
    /// </summary>
    public static IncidentStore Open(IncidentStoreOptions options, TimeProvider? time = null, ILogger? logger = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.QueueCapacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.PruneInterval, TimeSpan.Zero);
        if (System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(options.Path)) is { } directory)
        {
            Directory.CreateDirectory(directory);
        }
        var connection = IncidentDatabase.Open(options.Path, readOnly: false);
        IncidentStore? store = null;
        try
        {
            IncidentDatabase.Prepare(connection);
            store = new IncidentStore(options, connection, time ?? TimeProvider.System, logger ?? NullLogger.Instance);
            store.Prune();
            return store;
        }
        catch
        {
            // The store's writer and timer are running once it exists: stop them with it.
            if (store is not null)
            {
                store.Dispose();
            }
            else
            {
                connection.Dispose();
            }
            throw;
        }
    }

    /// <summary>Queues the incident for writing; false (and counted in <see cref="Dropped"/>) when the queue is full. Never blocks.</summary>
    public bool Add(Incident incident)
    {
        if (_queue.Writer.TryWrite(new QueueItem(incident, null)))
        {
            return true;
        }
        var dropped = Interlocked.Increment(ref _dropped);
        // One warning for the first drop and then one per thousand: the log must not become the next bottleneck.
        if (dropped % 1000 == 1)
        {
            LogDropped(_logger, dropped, _options.QueueCapacity);
        }
        return false;
    }

    /// <summary>Completes once everything queued before the call is written (or failed).</summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await _queue.Writer.WriteAsync(new QueueItem(null, done), cancellationToken);
        await done.Task.WaitAsync(cancellationToken);
    }

    public Incident? Find(string id) => _reader.Find(id);

    public IReadOnlyList<Incident> Query(DateTimeOffset since, DateTimeOffset until, int limit = IncidentReader.DefaultLimit) =>
        _reader.Query(since, until, limit);

    /// <summary>
    /// Deletes incidents older than MaxAge, then the oldest ones until the data fits MaxSize, and gives the space
    /// back. Returns how many were deleted.
    /// </summary>
    public int Prune()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var deleted = IncidentDatabase.DeleteOlderThan(_connection, _time.GetUtcNow() - _options.MaxAge);
            // Deleting a share of the rows proportional to the excess converges in a step or two; the bound stops a
            // file whose overhead alone passes MaxSize from looping.
            for (var round = 0; round < 16; round++)
            {
                var used = IncidentDatabase.UsedBytes(_connection);
                var count = IncidentDatabase.Count(_connection);
                if (used <= _options.MaxSize || count == 0)
                {
                    break;
                }
                var share = 1 - (_options.MaxSize * 0.9 / used);
                deleted += IncidentDatabase.DeleteOldest(_connection, Math.Max(1, (long)Math.Ceiling(count * share)));
            }
            if (deleted > 0)
            {
                IncidentDatabase.Shrink(_connection);
            }
            return deleted;
        }
    }

    /// <summary>The bytes the stored data takes (pages in use).</summary>
    public long UsedBytes()
    {
        lock (_gate)
        {
            return IncidentDatabase.UsedBytes(_connection);
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _pruneTimer.Dispose();
        _queue.Writer.TryComplete();
        if (!_writer.Wait(FlushTimeout))
        {
            LogFlushTimedOut(_logger, _options.Path);
        }
        lock (_gate)
        {
            _disposed = true;
            _connection.Dispose();
        }
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<Incident>(BatchSize);
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync())
        {
            TaskCompletionSource? barrier = null;
            while (batch.Count < BatchSize && barrier is null && reader.TryRead(out var item))
            {
                if (item.Incident is { } incident)
                {
                    batch.Add(incident);
                }
                barrier = item.Flushed;
            }
            if (batch.Count > 0)
            {
                WriteBatch(batch);
                batch.Clear();
            }
            barrier?.TrySetResult();
        }
    }

    private void WriteBatch(List<Incident> batch)
    {
        try
        {
            lock (_gate)
            {
                IncidentDatabase.Insert(_connection, batch);
            }
            Interlocked.Add(ref _written, batch.Count);
        }
        catch (Exception e) when (e is SqliteException or IOException or InvalidOperationException)
        {
            // A full disk or a file locked past the busy timeout loses this batch, not the gateway.
            LogWriteFailed(_logger, batch.Count, _options.Path, e.Message);
        }
    }

    private void PruneQuietly()
    {
        try
        {
            var deleted = Prune();
            if (deleted > 0)
            {
                LogPruned(_logger, deleted, _options.Path);
            }
        }
        catch (ObjectDisposedException)
        {
            // The timer fired while the store was closing.
        }
        catch (Exception e) when (e is SqliteException or IOException or InvalidOperationException)
        {
            LogWriteFailed(_logger, 0, _options.Path, e.Message);
        }
    }

    /// <summary>An incident to write, or a flush barrier (no incident, a completion to signal).</summary>
    private readonly record struct QueueItem(Incident? Incident, TaskCompletionSource? Flushed);

    [LoggerMessage(EventId = 1601, Level = LogLevel.Warning, Message = "Incident store: {Dropped} incident(s) dropped so far because the write queue ({Capacity}) was full")]
    private static partial void LogDropped(ILogger logger, long dropped, int capacity);

    [LoggerMessage(EventId = 1602, Level = LogLevel.Error, Message = "Incident store: could not write {Count} incident(s) to {Path}: {Reason}")]
    private static partial void LogWriteFailed(ILogger logger, int count, string path, string reason);

    [LoggerMessage(EventId = 1603, Level = LogLevel.Information, Message = "Incident store: pruned {Count} incident(s) from {Path} (age or size limit)")]
    private static partial void LogPruned(ILogger logger, int count, string path);

    [LoggerMessage(EventId = 1604, Level = LogLevel.Warning, Message = "Incident store: {Path} did not finish writing its queue on close; the rest is lost")]
    private static partial void LogFlushTimedOut(ILogger logger, string path);
}
