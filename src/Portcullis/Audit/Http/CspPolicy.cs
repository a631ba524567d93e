namespace Portcullis.Audit.Http;

/// <summary>
/// A parsed Content-Security-Policy (CSP3 §2.2): directive name → source list, lower-cased. Several policies (several
/// fields, or comma-separated) are combined the simple way: a directive is taken from the first policy that has it.
/// The Observatory intersects the source lists instead; the difference only matters for sites that send two
/// policies with the same directive.
/// </summary>
internal sealed class CspPolicy
{
    private static readonly HashSet<string> RepeatableDirectives = new(StringComparer.Ordinal) { "report-uri", "report-to" };

    private CspPolicy(Dictionary<string, HashSet<string>> directives, bool repeatedReporting)
    {
        Directives = directives;
        RepeatedReporting = repeatedReporting;
    }

    public IReadOnlyDictionary<string, HashSet<string>> Directives { get; }

    /// <summary>report-uri or report-to appears twice in one policy (the Observatory's "duplicate directives", 0 points).</summary>
    public bool RepeatedReporting { get; }

    public HashSet<string>? Get(string directive) => Directives.GetValueOrDefault(directive);

    /// <summary>Parses the fields; null with <paramref name="problem"/> set when a policy is unusable.</summary>
    public static CspPolicy? Parse(IReadOnlyList<string> fields, out string? problem)
    {
        problem = null;
        var directives = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var repeatedReporting = false;
        var policies = fields.SelectMany(f => f.Split(',')).Select(p => p.Replace("\r", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal).Trim()).ToList();
        foreach (var policy in policies)
        {
            // The Observatory's floor: nothing shorter than "img-src" can be a policy.
            if (policy.Length < "img-src".Length - 1)
            {
                problem = $"'{policy}' is not a policy";
                return null;
            }
            var inThisPolicy = new HashSet<string>(StringComparer.Ordinal);
            foreach (var entry in policy.Split(';'))
            {
                var tokens = entry.Trim().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
                if (tokens.Length == 0)
                {
                    continue;
                }
                var name = tokens[0].ToLowerInvariant();
                if (!inThisPolicy.Add(name))
                {
                    if (RepeatableDirectives.Contains(name))
                    {
                        repeatedReporting = true;
                        continue;
                    }
                    // CSP3 §2.2.1 says a browser ignores the repeat; the Observatory fails it so that people notice.
                    problem = $"directive '{name}' appears twice";
                    return null;
                }
                if (directives.ContainsKey(name))
                {
                    continue;
                }
                var sources = tokens.Skip(1).Select(Normalize).ToHashSet(StringComparer.Ordinal);
                if (sources.Count == 0 && name.EndsWith("-src", StringComparison.Ordinal))
                {
                    sources.Add("'none'");
                }
                directives[name] = sources;
            }
        }
        return new CspPolicy(directives, repeatedReporting);
    }

    private static readonly string[] CaseSensitiveValues = ["'sha256-", "'sha384-", "'sha512-", "'nonce-"];

    /// <summary>
    /// Keywords, schemes and hosts compare case-insensitively, so they are lowercased; the base64 value of a hash or
    /// nonce source is case-sensitive (CSP3 §2.3.1), so only its prefix is, and the JSON report shows it as sent.
    /// </summary>
    private static string Normalize(string source)
    {
        foreach (var prefix in CaseSensitiveValues)
        {
            if (source.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return prefix + source[prefix.Length..];
            }
        }
        return source.ToLowerInvariant();
    }
}
