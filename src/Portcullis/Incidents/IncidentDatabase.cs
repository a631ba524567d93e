using Microsoft.Data.Sqlite;

namespace Portcullis.Incidents;

/// <summary>
/// The SQLite side of the incident store: connections, schema and statements. One table of incidents (the JSON of
/// each, plus the columns the queries filter on) and a schema-version table, so a later release can migrate the file
/// and an older one refuses a file it does not understand.
/// </summary>
internal static class IncidentDatabase
{
    public const int SchemaVersion = 1;

    /// <summary>
    /// How long a statement waits for the other process (the CLI reading while the gateway writes, or the reverse)
    /// before giving up: WAL lets readers and the writer run together, so waits are short checkpoints.
    /// </summary>
    private const int BusyTimeoutMs = 5000;

    /// <summary>Bounds the -wal file that big deletes would otherwise leave behind (SQLite truncates it to this after a checkpoint).</summary>
    private const long JournalSizeLimit = 4L * 1024 * 1024;

    public static SqliteConnection Open(string path, bool readOnly)
    {
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = readOnly ? SqliteOpenMode.ReadOnly : SqliteOpenMode.ReadWriteCreate,
            // No pool: the file is closed when a store is disposed, so it can be moved, deleted or reopened.
            Pooling = false,
            DefaultTimeout = BusyTimeoutMs / 1000,
        };
        var connection = new SqliteConnection(builder.ToString());
        connection.Open();
        Execute(connection, $"PRAGMA busy_timeout={BusyTimeoutMs};");
        return connection;
    }

    /// <summary>WAL, synchronous=NORMAL (durable across a process crash, at most the last commits lost on power loss), and the schema.</summary>
    public static void Prepare(SqliteConnection connection)
    {
        // auto_vacuum only takes effect before the first table exists; incremental lets pruning give space back.
        Execute(connection, "PRAGMA auto_vacuum=INCREMENTAL;");
        var mode = Scalar(connection, "PRAGMA journal_mode=WAL;") as string;
        if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"SQLite did not switch {connection.DataSource} to WAL mode (it answered '{mode}').");
        }
        Execute(connection, $"PRAGMA synchronous=NORMAL; PRAGMA journal_size_limit={JournalSizeLimit};");
        using var transaction = connection.BeginTransaction();
        Execute(connection, """
            CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);
            CREATE TABLE IF NOT EXISTS incidents (
                id TEXT PRIMARY KEY,
                ts INTEGER NOT NULL,
                site TEXT NOT NULL,
                action TEXT NOT NULL,
                would_block INTEGER NOT NULL,
                json TEXT NOT NULL
            );
            CREATE INDEX IF NOT EXISTS incidents_ts ON incidents (ts);
            """, transaction);
        var version = Scalar(connection, "SELECT MAX(version) FROM schema_version;", transaction);
        if (version is null or DBNull)
        {
            Execute(connection, $"INSERT INTO schema_version (version) VALUES ({SchemaVersion});", transaction);
        }
        else if (Convert.ToInt64(version, System.Globalization.CultureInfo.InvariantCulture) > SchemaVersion)
        {
            throw new InvalidOperationException($"{connection.DataSource} has incident schema version {version}; this Portcullis knows version {SchemaVersion}. Use a newer Portcullis or move the file away.");
        }
        transaction.Commit();
    }

    /// <summary>Writes a batch in one transaction: one fsync-free commit (synchronous=NORMAL in WAL) per batch, not per incident.</summary>
    public static void Insert(SqliteConnection connection, IReadOnlyList<Incident> incidents)
    {
        using var transaction = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT OR REPLACE INTO incidents (id, ts, site, action, would_block, json) VALUES ($id, $ts, $site, $action, $wb, $json);";
        var id = command.Parameters.Add("$id", SqliteType.Text);
        var ts = command.Parameters.Add("$ts", SqliteType.Integer);
        var site = command.Parameters.Add("$site", SqliteType.Text);
        var action = command.Parameters.Add("$action", SqliteType.Text);
        var wouldBlock = command.Parameters.Add("$wb", SqliteType.Integer);
        var json = command.Parameters.Add("$json", SqliteType.Text);
        foreach (var incident in incidents)
        {
            id.Value = incident.Id;
            ts.Value = incident.Timestamp.ToUnixTimeMilliseconds();
            site.Value = incident.Site;
            action.Value = incident.Action;
            wouldBlock.Value = incident.WouldBlock ? 1 : 0;
            json.Value = IncidentJson.Serialize(incident);
            command.ExecuteNonQuery();
        }
        transaction.Commit();
    }

    public static Incident? Find(SqliteConnection connection, string id)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT json FROM incidents WHERE id = $id;";
        command.Parameters.AddWithValue("$id", id);
        return command.ExecuteScalar() is string json ? IncidentJson.Deserialize(json) : null;
    }

    /// <summary>Incidents with since ≤ timestamp &lt; until, newest first, at most <paramref name="limit"/>.</summary>
    public static List<Incident> Query(SqliteConnection connection, DateTimeOffset since, DateTimeOffset until, int limit)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT json FROM incidents WHERE ts >= $since AND ts < $until ORDER BY ts DESC, id DESC LIMIT $limit;";
        command.Parameters.AddWithValue("$since", since.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$until", until.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$limit", limit);
        using var reader = command.ExecuteReader();
        var result = new List<Incident>();
        while (reader.Read())
        {
            result.Add(IncidentJson.Deserialize(reader.GetString(0)));
        }
        return result;
    }

    /// <summary>The bytes the data takes: pages in use, not free pages waiting for reuse.</summary>
    public static long UsedBytes(SqliteConnection connection)
    {
        var pages = Convert.ToInt64(Scalar(connection, "PRAGMA page_count;"), System.Globalization.CultureInfo.InvariantCulture);
        var free = Convert.ToInt64(Scalar(connection, "PRAGMA freelist_count;"), System.Globalization.CultureInfo.InvariantCulture);
        var size = Convert.ToInt64(Scalar(connection, "PRAGMA page_size;"), System.Globalization.CultureInfo.InvariantCulture);
        return (pages - free) * size;
    }

    public static long Count(SqliteConnection connection) =>
        Convert.ToInt64(Scalar(connection, "SELECT COUNT(*) FROM incidents;"), System.Globalization.CultureInfo.InvariantCulture);

    public static int DeleteOlderThan(SqliteConnection connection, DateTimeOffset cutoff)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM incidents WHERE ts < $cutoff;";
        command.Parameters.AddWithValue("$cutoff", cutoff.ToUnixTimeMilliseconds());
        return command.ExecuteNonQuery();
    }

    public static int DeleteOldest(SqliteConnection connection, long count)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM incidents WHERE id IN (SELECT id FROM incidents ORDER BY ts ASC, id ASC LIMIT $n);";
        command.Parameters.AddWithValue("$n", count);
        return command.ExecuteNonQuery();
    }

    /// <summary>Returns the pages freed by deletes to the file system and empties the WAL into the database.</summary>
    public static void Shrink(SqliteConnection connection)
    {
        Execute(connection, "PRAGMA incremental_vacuum;");
        Execute(connection, "PRAGMA wal_checkpoint(TRUNCATE);");
    }

    public static string JournalMode(SqliteConnection connection) => (string)Scalar(connection, "PRAGMA journal_mode;")!;

    private static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
