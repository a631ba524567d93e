using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Portcullis.Configuration;
using Portcullis.Observability;

namespace Portcullis.Tests.Observability;

public sealed class AccessLogWriterTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "portcullis-accesslog-" + Guid.NewGuid().ToString("N"));

    private string LogsDirectory => Path.Combine(_root, "logs");

    private string LogPath => Path.Combine(LogsDirectory, "access.log");

    public void Dispose()
    {
        if (Directory.Exists(_root))
            Directory.Delete(_root, recursive: true);
    }

    private AccessLogWriter NewWriter(LogConfig config, Stream? stdout = null) =>
        new(config, LogsDirectory, TimeProvider.System, NullLogger<AccessLogWriter>.Instance, stdout);

    private static RequestEvent NewEvent(int i) => new()
    {
        Timestamp = DateTimeOffset.UtcNow,
        RequestId = i.ToString("x32", CultureInfo.InvariantCulture),
        ClientIp = IPAddress.Loopback,
        PeerIp = IPAddress.Loopback,
        ClientPort = 40000,
        Method = "GET",
        Host = "example.com",
        Path = "/items/" + i.ToString(CultureInfo.InvariantCulture),
        Protocol = "HTTP/1.1",
        Scheme = "https",
        StatusCode = 200,
        Duration = TimeSpan.FromMilliseconds(1),
        Outcome = "forwarded",
    };

    private static int IdOf(string line)
    {
        using var document = JsonDocument.Parse(line);
        var id = document.RootElement.GetProperty("http.request.id").GetString()!;
        return int.Parse(id, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
    }

    private string[] FileNames() =>
        Directory.GetFiles(LogsDirectory).Select(path => Path.GetFileName(path)).Order(StringComparer.Ordinal).ToArray();

    private static string[] ReadLines(string path) =>
        File.ReadAllText(path).Split('\n', StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public async Task OnRequest_FileEnabled_WritesOneParsableLinePerEvent()
    {
        await using (var writer = NewWriter(new LogConfig()))
        {
            for (var i = 0; i < 10; i++)
                writer.OnRequest(NewEvent(i));
        }

        var text = File.ReadAllText(LogPath);
        var lines = ReadLines(LogPath);

        Assert.EndsWith("\n", text, StringComparison.Ordinal);
        Assert.Equal(Enumerable.Range(0, 10), lines.Select(IdOf));
        Assert.All(lines, line => Assert.Equal("GET", JsonDocument.Parse(line).RootElement.GetProperty("http.request.method").GetString()));
    }

    [Fact]
    public async Task DisposeAsync_EventsQueued_WritesAllOfThem()
    {
        const int Count = 5000;
        var writer = NewWriter(new LogConfig());
        for (var i = 0; i < Count; i++)
            writer.OnRequest(NewEvent(i));

        await writer.DisposeAsync();

        Assert.Equal(0, writer.DroppedEvents);
        Assert.Equal(Enumerable.Range(0, Count), ReadLines(LogPath).Select(IdOf));
    }

    [Fact]
    public async Task OnRequest_SmallMaxFileSize_RotatesAndKeepsAtMostKeepFiles()
    {
        var config = new LogConfig { MaxFileSize = 2000, KeepFiles = 3 };
        await using (var writer = NewWriter(config))
        {
            for (var i = 0; i < 300; i++)
                writer.OnRequest(NewEvent(i));
        }

        var files = FileNames();
        Assert.Equal(["access.log", "access.log.1", "access.log.2", "access.log.3"], files);

        // Oldest to newest: .3, .2, .1, access.log; ids keep increasing across files and the last event is live.
        var ids = new[] { ".3", ".2", ".1", "" }
            .SelectMany(suffix => ReadLines(LogPath + suffix).Select(IdOf))
            .ToArray();
        Assert.Equal(299, ids[^1]);
        Assert.Equal(Enumerable.Range(ids[0], ids.Length), ids);
        Assert.All(files, name => Assert.InRange(new FileInfo(Path.Combine(LogsDirectory, name)).Length, 1, config.MaxFileSize));
    }

    [Fact]
    public async Task OnRequest_KeepFilesZero_KeepsOnlyLiveFile()
    {
        await using (var writer = NewWriter(new LogConfig { MaxFileSize = 1000, KeepFiles = 0 }))
        {
            for (var i = 0; i < 50; i++)
                writer.OnRequest(NewEvent(i));
        }

        Assert.Equal(["access.log"], FileNames());
        Assert.Equal(49, ReadLines(LogPath).Select(IdOf).Last());
    }

    [Fact]
    public async Task OnRequest_StrayRotatedFilesBeyondKeepFiles_DeletesThemOnRotation()
    {
        Directory.CreateDirectory(LogsDirectory);
        for (var n = 1; n <= 6; n++)
            File.WriteAllText(LogPath + "." + n.ToString(CultureInfo.InvariantCulture), "old\n");

        await using (var writer = NewWriter(new LogConfig { MaxFileSize = 1000, KeepFiles = 2 }))
        {
            for (var i = 0; i < 10; i++)
                writer.OnRequest(NewEvent(i));
        }

        Assert.Equal(["access.log", "access.log.1", "access.log.2"], FileNames());
    }

    [Fact]
    public async Task OnRequest_ExistingFile_AppendsToIt()
    {
        Directory.CreateDirectory(LogsDirectory);
        File.WriteAllText(LogPath, "{\"earlier\":true}\n");

        await using (var writer = NewWriter(new LogConfig()))
            writer.OnRequest(NewEvent(1));

        var lines = ReadLines(LogPath);
        Assert.Equal(2, lines.Length);
        Assert.Equal(1, IdOf(lines[1]));
    }

    [Fact]
    public async Task OnRequest_NewFile_IsCreatedWithMode0640()
    {
        if (OperatingSystem.IsWindows())
            return; // Unix file modes only.

        await using (var writer = NewWriter(new LogConfig()))
            writer.OnRequest(NewEvent(1));

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(LogPath));
    }

    [Fact]
    public async Task OnRequest_WhileWriterIsOpen_FileCanBeTailed()
    {
        await using var writer = NewWriter(new LogConfig());
        writer.OnRequest(NewEvent(7));

        var text = "";
        for (var attempt = 0; attempt < 200 && !text.EndsWith('\n'); attempt++)
        {
            await Task.Delay(25);
            if (!File.Exists(LogPath))
                continue;
            using var tail = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(tail, Encoding.UTF8);
            text = await reader.ReadToEndAsync();
        }

        Assert.Equal(7, IdOf(text.TrimEnd('\n')));
    }

    [Fact]
    public async Task OnRequest_StdoutOff_WritesNothingToStdout()
    {
        using var stdout = new MemoryStream();
        await using (var writer = NewWriter(new LogConfig { Stdout = false }, stdout))
            writer.OnRequest(NewEvent(1));

        Assert.Equal(0, stdout.Length);
        Assert.Single(ReadLines(LogPath));
    }

    [Fact]
    public async Task OnRequest_StdoutOnFileOff_WritesLinesToStdoutOnly()
    {
        using var stdout = new MemoryStream();
        await using (var writer = NewWriter(new LogConfig { Stdout = true, File = false }, stdout))
        {
            for (var i = 0; i < 3; i++)
                writer.OnRequest(NewEvent(i));
        }

        var lines = Encoding.UTF8.GetString(stdout.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal([0, 1, 2], lines.Select(IdOf));
        Assert.False(Directory.Exists(LogsDirectory));
    }

    [Fact]
    public async Task OnRequest_PublicConstructorStdoutOff_DoesNotThrow()
    {
        var writer = new AccessLogWriter(new LogConfig(), LogsDirectory, TimeProvider.System, NullLogger<AccessLogWriter>.Instance);
        writer.OnRequest(NewEvent(1));

        await writer.DisposeAsync();
        await writer.DisposeAsync();

        Assert.Single(ReadLines(LogPath));
    }

    [Fact]
    public async Task OnRequest_LogDirectoryUnusable_KeepsWritingToStdout()
    {
        // A regular file where the logs directory should be: every open fails with an I/O error.
        Directory.CreateDirectory(_root);
        File.WriteAllText(LogsDirectory, "not a directory");
        using var stdout = new MemoryStream();
        await using (var writer = NewWriter(new LogConfig { Stdout = true }, stdout))
        {
            for (var i = 0; i < 5; i++)
                writer.OnRequest(NewEvent(i));
        }

        Assert.Equal(5, Encoding.UTF8.GetString(stdout.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task OnRequest_QueueFull_DropsNewestAndCounts()
    {
        using var stdout = new GatedStream();
        var writer = NewWriter(new LogConfig { Stdout = true, File = false }, stdout);
        writer.OnRequest(NewEvent(0));
        Assert.True(stdout.Entered.Wait(TimeSpan.FromSeconds(10)), "the loop never reached stdout");

        // The loop is stuck writing event 0: the queue takes exactly Capacity more, then refuses.
        for (var i = 1; i <= AccessLogWriter.Capacity + 5; i++)
            writer.OnRequest(NewEvent(i));
        Assert.Equal(5, writer.DroppedEvents);

        stdout.Release.Set();
        await writer.DisposeAsync();

        var ids = Encoding.UTF8.GetString(stdout.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(IdOf);
        Assert.Equal(Enumerable.Range(0, AccessLogWriter.Capacity + 1), ids);
    }

    [Fact]
    public async Task OnRequest_AfterDispose_CountsDrop()
    {
        var writer = NewWriter(new LogConfig { File = false, Stdout = true }, new MemoryStream());
        await writer.DisposeAsync();

        writer.OnRequest(NewEvent(1));

        Assert.Equal(1, writer.DroppedEvents);
    }

    [Fact]
    public async Task OnRequest_BothOutputsOff_QueuesNothing()
    {
        var writer = NewWriter(new LogConfig { File = false, Stdout = false });
        await writer.DisposeAsync();

        writer.OnRequest(NewEvent(1));

        // Not even counted as dropped: with no output there is nothing to lose.
        Assert.Equal(0, writer.DroppedEvents);
        Assert.False(Directory.Exists(LogsDirectory) && Directory.EnumerateFiles(LogsDirectory).Any());
    }

    /// <summary>A stdout whose first write blocks until released, to hold the log loop still.</summary>
    private sealed class GatedStream : MemoryStream
    {
        public ManualResetEventSlim Entered { get; } = new();

        public ManualResetEventSlim Release { get; } = new();

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            Entered.Set();
            Release.Wait();
            base.Write(buffer);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                Entered.Dispose();
                Release.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
