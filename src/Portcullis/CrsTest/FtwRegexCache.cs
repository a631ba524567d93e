using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace Portcullis.CrsTest;

/// <summary>
/// The regular expressions of <c>match_regex</c>, <c>no_match_regex</c> and <c>response_contains</c>, compiled once:
/// hundreds of tests share the same few patterns (<c>\[id "\d+"\]</c> appears in 40). go-ftw compiles them as Go RE2
/// expressions; the CRS patterns use only syntax both engines read alike. A match timeout bounds a hostile pattern.
/// </summary>
internal static class FtwRegexCache
{
    private static readonly ConcurrentDictionary<string, Regex> Cache = new(StringComparer.Ordinal);

    /// <summary>Throws <see cref="ArgumentException"/> for an invalid pattern (load-time validation relies on it).</summary>
    public static Regex Get(string pattern) =>
        Cache.GetOrAdd(pattern, p => new Regex(p, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(2)));
}
