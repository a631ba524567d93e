namespace Portcullis.Audit.Http;

/// <summary>
/// Response header fields exactly as received, in order, repeated names kept (Set-Cookie, a doubled HSTS). Lookups
/// are case-insensitive (RFC 9110 §5.1).
/// </summary>
internal sealed class HeaderList(IReadOnlyList<KeyValuePair<string, string>> fields)
{
    public IReadOnlyList<KeyValuePair<string, string>> Fields { get; } = fields;

    /// <summary>Every value of <paramref name="name"/>, in order.</summary>
    public IReadOnlyList<string> All(string name) =>
        [.. Fields.Where(f => string.Equals(f.Key, name, StringComparison.OrdinalIgnoreCase)).Select(f => f.Value)];

    /// <summary>The first value of <paramref name="name"/>, or null.</summary>
    public string? First(string name) =>
        Fields.FirstOrDefault(f => string.Equals(f.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    public bool Has(string name) => First(name) is not null;
}
