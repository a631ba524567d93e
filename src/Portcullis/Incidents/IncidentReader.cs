namespace Portcullis.Incidents;

/// <summary>
/// Reads an incident file without changing it: what <c>portcullis waf explain</c> and <c>waf report</c> use while
/// the gateway may be writing the same file (WAL: readers never wait for the writer).
/// </summary>
internal sealed class IncidentReader(string path, bool readOnly = true)
{
    /// <summary>Reports run over at most this many incidents: the newest, so a flood cannot make one take minutes.</summary>
    public const int DefaultLimit = 100_000;

    public string Path { get; } = path;

    public bool Exists => File.Exists(Path);

    public Incident? Find(string id)
    {
        using var connection = IncidentDatabase.Open(Path, readOnly);
        return IncidentDatabase.Find(connection, id);
    }

    /// <summary>Incidents from <paramref name="since"/> up to (not including) <paramref name="until"/>, newest first.</summary>
    public IReadOnlyList<Incident> Query(DateTimeOffset since, DateTimeOffset until, int limit = DefaultLimit)
    {
        using var connection = IncidentDatabase.Open(Path, readOnly);
        return IncidentDatabase.Query(connection, since, until, limit);
    }
}
