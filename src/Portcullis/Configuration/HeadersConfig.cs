namespace Portcullis.Configuration;

/// <summary>
/// Response headers the gateway adds (over HTTPS) and removes. The defaults are the hardening set; a site's
/// <c>headers.set</c> overrides by name, and an empty value removes a default.
/// </summary>
internal sealed record HeadersConfig
{
    /// <summary>Headers to add to every HTTPS response (name → value). Empty value: do not add that header.</summary>
    public required IReadOnlyDictionary<string, string> Set { get; init; }

    /// <summary>Upstream response headers to strip, in addition to the version banners that are always stripped.</summary>
    public required IReadOnlyList<string> Remove { get; init; }

    public static HeadersConfig Empty { get; } = new()
    {
        Set = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase),
        Remove = [],
    };
}
