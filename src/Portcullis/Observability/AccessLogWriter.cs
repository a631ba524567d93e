using System.Buffers;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Portcullis.Configuration;

namespace Portcullis.Observability;

/// <summary>
/// Writes one ECS JSON line per request to <c>logs/access.log</c> and/or stdout. Requests only enqueue; one
/// background loop formats and writes in batches, so a slow disk costs log lines, never request latency.
/// Rotation is by size: access.log → access.log.1 → … → access.log.KeepFiles, the oldest deleted.
/// </summary>
internal sealed partial class AccessLogWriter : IRequestEventObserver, IAsyncDisposable
{
    /// <summary>Events held while the disk catches up: about 16 MB at a typical 1 KB line, seconds of peak traffic.</summary>
    internal const int Capacity = 16 * 1024;

    // Bounds the stdout buffer and how long the file goes unflushed under sustained load.
    private const int MaxBatchEvents = 512;
    private const int MaxBatchBytes = 1024 * 1024;

    /// <summary>How long lines gather between writes when the queue runs dry: the log trails by at most this much.</summary>
    private static readonly TimeSpan BatchWindow = TimeSpan.FromMilliseconds(50);
    /// <summary>The access log: every request, ECS fields, to access.log (and stdout when configured).</summary>
    public static readonly EventLogFormat AccessLog = new("access.log", static _ => true, AccessLogFormatter.Write);

    private static readonly TimeSpan WarningInterval = TimeSpan.FromMinutes(1);

    private readonly CancellationTokenSource _stopping = new();
    private readonly LogConfig _config;
    private readonly string _logsDirectory;
    private readonly string _path;
    private readonly TimeProvider _time;
    private readonly ILogger<AccessLogWriter> _logger;
    private readonly Channel<RequestEvent> _channel;
    private readonly ArrayBufferWriter<byte> _line = new(1024);
    private readonly ArrayBufferWriter<byte> _stdoutBatch = new(16 * 1024);
    private readonly Utf8JsonWriter _json;
    private readonly Task _loop;
    private Stream? _stdout;
    private FileStream? _file;
    private long _fileLength;
    private long _rotateAt;
    private long _dropped;
    private long _nextDropWarning;
    private long _nextWriteError;
    private long _nextStdoutError;
    private volatile bool _disposed;

    private readonly EventLogFormat _format;

    public AccessLogWriter(LogConfig config, string logsDirectory, TimeProvider time, ILogger<AccessLogWriter> logger)
        : this(config, logsDirectory, time, logger, stdout: null)
    {
    }

    /// <summary>Another log of the same request stream (the security log): its own file, events and fields.</summary>
    public AccessLogWriter(LogConfig config, string logsDirectory, TimeProvider time, ILogger<AccessLogWriter> logger, EventLogFormat format)
        : this(config, logsDirectory, time, logger, stdout: null, format)
    {
    }

    /// <summary>Lets tests capture what would go to stdout; null means the process's standard output.</summary>
    internal AccessLogWriter(LogConfig config, string logsDirectory, TimeProvider time, ILogger<AccessLogWriter> logger, Stream? stdout, EventLogFormat? format = null)
    {
        _format = format ?? AccessLog;
        _config = config;
        _logsDirectory = logsDirectory;
        _path = Path.Combine(logsDirectory, _format.FileName);
        _time = time;
        _logger = logger;
        _stdout = stdout;
        _json = new Utf8JsonWriter(_line);

        // FullMode.Wait plus TryWrite (never WriteAsync) means a full queue rejects the incoming event without
        // waiting: the newest event is the one dropped, and the lines already queued stay in order.
        _channel = Channel.CreateBounded<RequestEvent>(new BoundedChannelOptions(Capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = false,
        });
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Events lost because the queue was full, or because they arrived after disposal.</summary>
    public long DroppedEvents => Interlocked.Read(ref _dropped);

    public void OnRequest(RequestEvent requestEvent)
    {
        if (!_config.File && !_config.Stdout)
        {
            // Both outputs off: formatting lines nobody writes would only cost CPU on the request path's core.
            return;
        }
        if (!_format.Include(requestEvent))
            return;
        if (_channel.Writer.TryWrite(requestEvent))
            return;

        var dropped = Interlocked.Increment(ref _dropped);
        if (!_disposed && TryPassGate(ref _nextDropWarning))
            Log.EventsDropped(_logger, dropped, Capacity);
    }

    public async ValueTask DisposeAsync()
    {
        // The container may dispose this twice (it is registered as itself and as an observer).
        if (_disposed)
        {
            await _loop;
            return;
        }
        _disposed = true;
        await _stopping.CancelAsync();
        _channel.Writer.TryComplete();
        await _loop;
    }

    private async Task RunAsync()
    {
        var reader = _channel.Reader;
        while (await reader.WaitToReadAsync())
        {
            var events = 0;
            while (events < MaxBatchEvents && _stdoutBatch.WrittenCount < MaxBatchBytes && reader.TryRead(out var e))
            {
                events++;
                if (FormatLine(e))
                    WriteLine();
            }

            FlushBatch();
            if (events < MaxBatchEvents && !reader.Completion.IsCompleted)
            {
                // Let lines gather before the next write: under load this turns one wake-up and one write system
                // call per request into a few per second, on the same core that serves the requests.
                try
                {
                    await Task.Delay(BatchWindow, _stopping.Token);
                }
                catch (OperationCanceledException)
                {
                    // Disposing: drain what is left right away.
                }
            }
        }

        CloseFile();
        _json.Dispose();
        _stopping.Dispose();
    }

    private bool FormatLine(RequestEvent e)
    {
        _line.ResetWrittenCount();
        try
        {
            _json.Reset();
            _format.Write(_json, e);
            _json.Flush();
            _line.Write("\n"u8);
            return true;
        }
        catch (Exception ex)
        {
            // A formatter bug must cost this one line, not the loop.
            Log.FormatFailed(_logger, e.RequestId, ex);
            return false;
        }
    }

    private void WriteLine()
    {
        var line = _line.WrittenSpan;
        if (_config.Stdout)
            _stdoutBatch.Write(line);
        if (!_config.File)
            return;

        try
        {
            if (_file is not null && _fileLength > 0 && _config.MaxFileSize > 0 && _fileLength + line.Length > _rotateAt)
                Rotate();
            _file ??= OpenFile();
            _file.Write(line);
            _fileLength += line.Length;
        }
        catch (Exception ex)
        {
            // Drop the handle so the next line reopens the file: the disk may come back, or the directory be restored.
            CloseFile();
            if (TryPassGate(ref _nextWriteError))
                Log.WriteFailed(_logger, _path, ex);
        }
    }

    private void FlushBatch()
    {
        try
        {
            // To the OS, not to the platter: the page cache survives a crash of this process, and an fsync per
            // batch would make the disk's latency the log's throughput.
            _file?.Flush(flushToDisk: false);
        }
        catch (Exception ex)
        {
            CloseFile();
            if (TryPassGate(ref _nextWriteError))
                Log.WriteFailed(_logger, _path, ex);
        }

        if (_stdoutBatch.WrittenCount == 0)
            return;
        try
        {
            // One write per batch keeps lines whole when the console logger shares the same stdout.
            _stdout ??= Console.OpenStandardOutput();
            _stdout.Write(_stdoutBatch.WrittenSpan);
            _stdout.Flush();
        }
        catch (Exception ex)
        {
            if (TryPassGate(ref _nextStdoutError))
                Log.StdoutFailed(_logger, ex);
        }

        _stdoutBatch.ResetWrittenCount();
    }

    /// <summary>True at most once per <see cref="WarningInterval"/> for a given gate, so a full disk logs one error a minute, not one a batch.</summary>
    private bool TryPassGate(ref long nextAllowed)
    {
        var now = _time.GetTimestamp();
        var next = Volatile.Read(ref nextAllowed);
        if (now < next)
            return false;
        var after = now + (long)(WarningInterval.TotalSeconds * _time.TimestampFrequency);
        return Interlocked.CompareExchange(ref nextAllowed, after, next) == next;
    }
}
