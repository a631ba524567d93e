namespace Portcullis.Sites;

/// <summary>
/// Host name → value lookup with exact names first, then "*.suffix" wildcards covering exactly one more label
/// (as certificates do, RFC 6125 §6.4.3). Case-insensitive; a trailing dot and a port are ignored.
/// </summary>
internal sealed class HostTable<T>
    where T : class
{
    private readonly Dictionary<string, T> _exact = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, T> _wildcards = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, T>.AlternateLookup<ReadOnlySpan<char>> _exactLookup;
    private readonly Dictionary<string, T>.AlternateLookup<ReadOnlySpan<char>> _wildcardLookup;

    public HostTable(IEnumerable<(string Host, T Value)> entries)
    {
        foreach (var (host, value) in entries)
        {
            if (host.StartsWith("*.", StringComparison.Ordinal))
            {
                _wildcards[host[2..]] = value;
            }
            else
            {
                _exact[host] = value;
            }
        }
        _exactLookup = _exact.GetAlternateLookup<ReadOnlySpan<char>>();
        _wildcardLookup = _wildcards.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Finds the value for a host name (SNI) or a Host header value ("name:port", "[v6]:port").</summary>
    public T? Find(ReadOnlySpan<char> host)
    {
        host = StripPort(host).TrimEnd('.');
        if (host.IsEmpty)
        {
            return null;
        }
        if (_exactLookup.TryGetValue(host, out var value))
        {
            return value;
        }
        if (_wildcards.Count > 0)
        {
            var dot = host.IndexOf('.');
            if (dot > 0 && _wildcardLookup.TryGetValue(host[(dot + 1)..], out value))
            {
                return value;
            }
        }
        return null;
    }

    private static ReadOnlySpan<char> StripPort(ReadOnlySpan<char> host)
    {
        if (host.StartsWith("["))
        {
            var end = host.IndexOf(']');
            return end > 0 ? host[1..end] : host;
        }
        var colon = host.LastIndexOf(':');
        return colon >= 0 && host.IndexOf(':') == colon ? host[..colon] : host;
    }
}
