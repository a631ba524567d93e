using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Portcullis.Incidents;
using Portcullis.Tests.TestSupport;
using static Portcullis.Tests.Incidents.IncidentSamples;

namespace Portcullis.Tests.Incidents;

/// <summary>The store against real SQLite files in a temp directory.</summary>
public sealed class IncidentStoreTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly ManualTimeProvider _time = new(Noon);

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Add_ThenFind_RoundTripsEveryField()
    {
        using var store = Open();
        var e = Event(NewId(), "POST", "/caf\u00e9", "q=\u00ff\u0001", [Match(942100, "ARGS:q", "\u00ff\u0000'\"\\", data: "d\u0080"), Threshold()]);
        var incident = IncidentFactory.Create(e, "shop", [new("Host", "shop.test"), new("X-Bytes", "\u00e9\u00c3")], Scores(10));

        Assert.True(store.Add(incident));
        await store.FlushAsync();
        var found = store.Find(incident.Id);

        Assert.NotNull(found);
        Assert.Equal(IncidentJson.Serialize(incident), IncidentJson.Serialize(found));
        Assert.Equal(incident with { Headers = found.Headers, Scores = found.Scores, Matches = found.Matches }, found);
        Assert.Equal(incident.Matches, found.Matches, new MatchComparer());
        Assert.Equal("\u00ff\u0000'\"\\", found.Matches[0].Value);
        Assert.Equal(incident.Headers, found.Headers);
        Assert.Equal(1, store.Written);
    }

    [Fact]
    public void Find_UnknownId_Null()
    {
        using var store = Open();

        Assert.Null(store.Find("0123456789abcdef0123456789abcdef"));
    }

    [Fact]
    public void Open_NewFile_WalModeAndSchemaVersion()
    {
        using var store = Open();
        using var connection = new SqliteConnection($"Data Source={store.Path};Pooling=False");
        connection.Open();

        Assert.Equal("wal", Scalar(connection, "PRAGMA journal_mode;"));
        Assert.Equal((long)IncidentDatabase.SchemaVersion, Scalar(connection, "SELECT version FROM schema_version;"));
        Assert.Equal(2L, Scalar(connection, "PRAGMA auto_vacuum;"));
    }

    [Fact]
    public void Open_FileWithNewerSchema_Throws()
    {
        var path = _dir.Combine("incidents.db");
        using (var store = Open(path))
        {
        }
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            Scalar(connection, "UPDATE schema_version SET version = 99;");
        }

        var error = Assert.Throws<InvalidOperationException>(() => Open(path));
        Assert.Contains("schema version 99", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Query_Window_NewestFirstWithinBoundsAndLimit()
    {
        using var store = Open();
        for (var hour = 0; hour < 10; hour++)
        {
            store.Add(At(Incident($"id{hour}", "GET", "/", Match(942100, "ARGS:q", "x")), Noon.AddHours(-hour)));
        }
        await store.FlushAsync();

        var window = store.Query(Noon.AddHours(-5), Noon, limit: 100);
        var limited = store.Query(Noon.AddDays(-1), Noon.AddHours(1), limit: 3);

        // since is inclusive, until exclusive: hours 5..1 back.
        Assert.Equal(["id1", "id2", "id3", "id4", "id5"], window.Select(i => i.Id));
        Assert.Equal(["id0", "id1", "id2"], limited.Select(i => i.Id));
    }

    [Fact]
    public async Task Prune_OlderThanMaxAge_Deleted()
    {
        using var store = Open(maxAge: TimeSpan.FromDays(30));
        store.Add(At(Incident("old", "GET", "/", Match(942100, "ARGS:q", "x")), Noon.AddDays(-20)));
        store.Add(At(Incident("new", "GET", "/", Match(942100, "ARGS:q", "x")), Noon.AddDays(-1)));
        await store.FlushAsync();
        Assert.Equal(0, store.Prune());

        _time.Advance(TimeSpan.FromDays(15));
        var deleted = store.Prune();

        Assert.Equal(1, deleted);
        Assert.Null(store.Find("old"));
        Assert.NotNull(store.Find("new"));
    }

    [Fact]
    public async Task PruneTimer_ClockPassesMaxAge_DeletesWithoutBeingAsked()
    {
        using var store = IncidentStore.Open(new IncidentStoreOptions
        {
            Path = _dir.Combine("timer.db"),
            MaxAge = TimeSpan.FromDays(30),
            PruneInterval = TimeSpan.FromMilliseconds(50),
        }, _time);
        store.Add(Incident("aging", "GET", "/", Match(942100, "ARGS:q", "x")));
        await store.FlushAsync();

        _time.Advance(TimeSpan.FromDays(31));
        var watch = Stopwatch.StartNew();
        while (store.Find("aging") is not null && watch.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(20);
        }

        Assert.Null(store.Find("aging"));
    }

    [Fact]
    public async Task Open_ExpiredIncidentsInFile_PrunedOnOpen()
    {
        var path = _dir.Combine("incidents.db");
        using (var store = Open(path))
        {
            store.Add(At(Incident("expired", "GET", "/", Match(942100, "ARGS:q", "x")), Noon.AddDays(-40)));
            store.Add(At(Incident("kept", "GET", "/", Match(942100, "ARGS:q", "x")), Noon.AddDays(-2)));
            await store.FlushAsync();
            Assert.NotNull(store.Find("expired"));
        }

        using var reopened = Open(path);

        Assert.Null(reopened.Find("expired"));
        Assert.NotNull(reopened.Find("kept"));
    }

    [Fact]
    public async Task Prune_OverMaxSize_OldestDeletedUntilItFits()
    {
        const long MaxSize = 256 * 1024;
        using var store = Open(maxSize: MaxSize);
        var bulky = Enumerable.Range(0, 8).Select(i => new KeyValuePair<string, string>($"X-Pad{i}", new string((char)('a' + i), 900))).ToList();
        for (var i = 0; i < 300; i++)
        {
            var e = Event($"n{i:D3}", "GET", "/", "", [Match(942100, "ARGS:q", "x")], at: Noon.AddSeconds(i));
            store.Add(IncidentFactory.Create(e, "shop", bulky, Scores(5)));
        }
        await store.FlushAsync();
        Assert.True(store.UsedBytes() > MaxSize, $"the test wrote only {store.UsedBytes()} bytes");

        var deleted = store.Prune();

        Assert.InRange(store.UsedBytes(), 1, MaxSize);
        Assert.InRange(deleted, 1, 299);
        Assert.Null(store.Find("n000"));
        Assert.NotNull(store.Find("n299"));
        // The oldest went first: what is left is one run up to the newest.
        var left = store.Query(Noon.AddDays(-1), Noon.AddDays(1)).Select(i => i.Id).ToList();
        Assert.Equal(left.Order(StringComparer.Ordinal).Reverse(), left);
        Assert.Equal($"n{300 - left.Count:D3}", left[^1]);
        // Pages freed were given back: the file itself shrank to about the limit.
        Assert.InRange(new FileInfo(store.Path).Length, 1, MaxSize + 64 * 1024);
    }

    [Fact]
    public async Task Add_QueueFullWhileDiskBusy_DropsAndCountsWithoutBlocking()
    {
        using var store = Open(queueCapacity: 4);
        var incidents = Enumerable.Range(0, 100).Select(i => Incident($"q{i}", "GET", "/", Match(942100, "ARGS:q", "x"))).ToList();
        // Another process holds the write lock, so the writer stalls in its first batch and the queue fills up.
        using var other = new SqliteConnection($"Data Source={store.Path};Pooling=False");
        other.Open();
        using (var hold = other.BeginTransaction(deferred: false))
        {
            var watch = Stopwatch.StartNew();
            var accepted = incidents.Count(store.Add);
            watch.Stop();

            Assert.InRange(watch.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(1));
            Assert.InRange(accepted, 4, 4 + 8);
            Assert.Equal(100 - accepted, store.Dropped);
            hold.Rollback();
        }
        await store.FlushAsync();

        Assert.Equal(100 - store.Dropped, store.Written);
        Assert.Equal(store.Written, store.Query(Noon.AddDays(-1), Noon.AddDays(1)).Count);
    }

    [Fact]
    public void Dispose_FlushesQueue_ReopenReadsEverything()
    {
        var path = Path.Combine(_dir.Path, "data", "incidents.db");
        using (var store = Open(path))
        {
            for (var i = 0; i < 50; i++)
            {
                store.Add(Incident($"f{i}", "GET", "/", Match(942100, "ARGS:q", "x")));
            }
        }

        using var reopened = Open(path);

        Assert.Equal(50, reopened.Query(Noon.AddDays(-1), Noon.AddDays(1)).Count);
        Assert.True(reopened.Add(Incident("after", "GET", "/", Match(942100, "ARGS:q", "x"))));
    }

    [Fact]
    public async Task Reader_WhileStoreHoldsFileOpen_ReadsCommittedIncidents()
    {
        using var store = Open();
        store.Add(Incident("shared", "GET", "/", Match(942100, "ARGS:q", "x")));
        await store.FlushAsync();

        // What the CLI does while the gateway runs: its own read-only connection to the same file.
        var reader = new IncidentReader(store.Path);

        Assert.True(reader.Exists);
        Assert.Equal("shared", reader.Find("shared")?.Id);
        store.Add(Incident("later", "GET", "/", Match(942100, "ARGS:q", "x")));
        await store.FlushAsync();
        Assert.Equal(2, reader.Query(Noon.AddDays(-1), Noon.AddDays(1)).Count);
    }

    private IncidentStore Open(string? path = null, TimeSpan? maxAge = null, long? maxSize = null, int queueCapacity = 1000) =>
        IncidentStore.Open(new IncidentStoreOptions
        {
            Path = path ?? _dir.Combine("incidents.db"),
            MaxAge = maxAge ?? TimeSpan.FromDays(30),
            MaxSize = maxSize ?? 256L * 1024 * 1024,
            QueueCapacity = queueCapacity,
        }, _time);

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    /// <summary>Matches compared field by field (records compare their tag lists by reference).</summary>
    private sealed class MatchComparer : IEqualityComparer<IncidentMatch>
    {
        public bool Equals(IncidentMatch? x, IncidentMatch? y) =>
            x is not null && y is not null && x with { Tags = [] } == y with { Tags = [] } && x.Tags.SequenceEqual(y.Tags);

        public int GetHashCode(IncidentMatch obj) => obj.Id;
    }
}
