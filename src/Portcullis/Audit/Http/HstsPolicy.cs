using System.Globalization;

namespace Portcullis.Audit.Http;

/// <summary>
/// A Strict-Transport-Security header as received (RFC 6797 §6.1). <see cref="Problem"/> says why it is invalid, in
/// which case browsers ignore it entirely.
/// </summary>
internal sealed record HstsPolicy(string Raw, long? MaxAge, bool IncludeSubDomains, bool Preload, string? Problem)
{
    /// <summary>Six months as the Observatory and SSL Labs count it (15,552,000 s = 180 days).</summary>
    public const long SixMonths = 15_552_000;

    /// <summary>What Mozilla and the preload list ask for (and Portcullis sends): two years.</summary>
    public const long TwoYears = 63_072_000;

    public bool Valid => Problem is null;

    /// <summary>Parses every Strict-Transport-Security field of a response; null when there is none.</summary>
    public static HstsPolicy? Parse(IReadOnlyList<string> fields)
    {
        if (fields.Count == 0)
        {
            return null;
        }
        var raw = string.Join(", ", fields);
        // RFC 6797 §8.1: a UA processes only the first field; the Observatory calls a repeated header invalid
        // (a comma means two fields were folded together), because proxies and browsers disagree on which wins.
        if (fields.Count > 1 || raw.Contains(',', StringComparison.Ordinal))
        {
            return new HstsPolicy(raw, null, false, false, "the header is sent more than once");
        }
        long? maxAge = null;
        var includeSubDomains = false;
        var preload = false;
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in raw.Split(';'))
        {
            var directive = part.Trim();
            if (directive.Length == 0)
            {
                continue;
            }
            var eq = directive.IndexOf('=', StringComparison.Ordinal);
            var name = (eq < 0 ? directive : directive[..eq]).Trim();
            var value = eq < 0 ? null : directive[(eq + 1)..].Trim().Trim('"');
            // §6.1: "All directives MUST appear only once in an STS header field."
            if (!seen.Add(name))
            {
                return new HstsPolicy(raw, null, false, false, $"directive '{name}' appears twice");
            }
            if (name.Equals("max-age", StringComparison.OrdinalIgnoreCase))
            {
                if (value is null || value.Length is 0 or > 18 || !value.All(char.IsAsciiDigit))
                {
                    return new HstsPolicy(raw, null, false, false, $"max-age '{value}' is not a number of seconds");
                }
                maxAge = long.Parse(value, CultureInfo.InvariantCulture);
            }
            else if (name.Equals("includeSubDomains", StringComparison.OrdinalIgnoreCase))
            {
                includeSubDomains = true;
            }
            else if (name.Equals("preload", StringComparison.OrdinalIgnoreCase))
            {
                preload = true;
            }
        }
        // §6.1.1: max-age is REQUIRED.
        return maxAge is null
            ? new HstsPolicy(raw, null, includeSubDomains, preload, "max-age is missing")
            : new HstsPolicy(raw, maxAge, includeSubDomains, preload, null);
    }
}
