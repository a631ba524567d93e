using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Portcullis.Configuration;

namespace Portcullis.Hardening;

/// <summary>
/// The response headers a site adds and strips, compiled once per config generation. Defaults are added when the
/// upstream did not send the header itself (an application that chose a stricter Referrer-Policy keeps it);
/// values an operator wrote under <c>headers.set</c> always win. Version banners are always stripped.
/// </summary>
internal sealed class ResponseHeaderPolicy
{
    /// <summary>2 years, with subdomains: Mozilla's recommendation and SSL Labs' A+ condition (≥ 6 months).</summary>
    public const string DefaultHsts = "max-age=63072000; includeSubDomains";

    /// <summary>Banners that tell an attacker which exploits to try (testssl and the HTTP Observatory flag them).</summary>
    private static readonly string[] Banners = ["Server", "X-Powered-By", "X-AspNet-Version", "X-AspNetMvc-Version"];

    private static readonly (string Name, string Value)[] Defaults =
    [
        ("Strict-Transport-Security", DefaultHsts),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "strict-origin-when-cross-origin"),
        ("X-Frame-Options", "SAMEORIGIN"),
    ];

    private readonly string[] _remove;
    private readonly (string Name, StringValues Value)[] _defaults;
    private readonly (string Name, StringValues Value)[] _overrides;

    public ResponseHeaderPolicy(HeadersConfig gateway, HeadersConfig site)
    {
        var set = new Dictionary<string, string>(gateway.Set, StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in site.Set)
        {
            set[name] = value;
        }
        _defaults = [.. Defaults.Where(d => !set.ContainsKey(d.Name)).Select(d => (d.Name, new StringValues(d.Value)))];
        _overrides = [.. set.Where(kv => kv.Value.Length > 0).Select(kv => (kv.Key, new StringValues(kv.Value)))];
        _remove = [.. Banners.Concat(gateway.Remove).Concat(site.Remove).Distinct(StringComparer.OrdinalIgnoreCase)];
    }

    /// <summary>The header values this policy sends when the upstream sent none (for tests and docs).</summary>
    public IEnumerable<(string Name, string Value)> Effective =>
        _defaults.Select(d => (d.Name, d.Value.ToString())).Concat(_overrides.Select(o => (o.Name, o.Value.ToString())));

    public void Apply(IHeaderDictionary headers)
    {
        foreach (var name in _remove)
        {
            headers.Remove(name);
        }
        // Operator values first, so the frame-ancestors check below sees the CSP the client will get.
        foreach (var (name, value) in _overrides)
        {
            headers[name] = value;
        }
        foreach (var (name, value) in _defaults)
        {
            if (headers.ContainsKey(name))
            {
                continue;
            }
            if (ReferenceEquals(name, "X-Frame-Options") && HasFrameAncestors(headers))
            {
                // The response has its own framing policy (CSP frame-ancestors); X-Frame-Options would contradict it.
                continue;
            }
            headers[name] = value;
        }
    }

    private static bool HasFrameAncestors(IHeaderDictionary headers) =>
        headers.TryGetValue("Content-Security-Policy", out var csp) &&
        csp.Any(v => v is not null && v.Contains("frame-ancestors", StringComparison.OrdinalIgnoreCase));
}
