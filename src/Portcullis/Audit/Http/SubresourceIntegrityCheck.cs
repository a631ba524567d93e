using System.Text.RegularExpressions;
using Portcullis.Audit.Grading;

namespace Portcullis.Audit.Http;

/// <summary>
/// A simplified version of the Observatory's SRI test: instead of a DOM, a bounded regular expression finds the
/// &lt;script src&gt; tags in the first <see cref="HttpFetcher.MaxBodyBytes"/> of an HTML body and reads their
/// integrity attribute. A script is external when its URL names another host (or is protocol-relative to one).
/// </summary>
internal static partial class SubresourceIntegrityCheck
{
    public static ObservatoryOutcome Run(HttpExchange page)
    {
        var type = page.Headers.First("Content-Type") ?? "";
        if (!type.Contains("html", StringComparison.OrdinalIgnoreCase))
        {
            return ObservatoryOutcome.SriNotHtml;
        }
        var scripts = ScriptTag().Matches(page.Body).Select(m => m.Value).Take(500).ToList();
        if (scripts.Count == 0)
        {
            return ObservatoryOutcome.SriNoScripts;
        }
        var external = new List<(bool Http, bool Integrity)>();
        foreach (var tag in scripts)
        {
            var src = Attribute(tag, "src");
            if (src is null || !Uri.TryCreate(page.Url, src, out var url))
            {
                continue;
            }
            if (url.Host.Equals(page.Url.Host, StringComparison.OrdinalIgnoreCase) && url.Scheme == page.Url.Scheme)
            {
                continue;
            }
            external.Add((url.Scheme == Uri.UriSchemeHttp, Attribute(tag, "integrity") is { Length: > 0 }));
        }
        if (external.Count == 0)
        {
            return ObservatoryOutcome.SriSameOriginScriptsOnly;
        }
        if (external.Any(s => s.Http && !s.Integrity))
        {
            return ObservatoryOutcome.SriMissingOnHttpScripts;
        }
        if (external.Any(s => s.Http))
        {
            return ObservatoryOutcome.SriImplementedButHttpScripts;
        }
        return external.All(s => s.Integrity) ? ObservatoryOutcome.SriImplementedSecurely : ObservatoryOutcome.SriMissingOnExternalHttpsScripts;
    }

    private static string? Attribute(string tag, string name)
    {
        foreach (Match m in AttributePattern().Matches(tag))
        {
            if (m.Groups["name"].Value.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return m.Groups["dq"].Success ? m.Groups["dq"].Value : m.Groups["sq"].Success ? m.Groups["sq"].Value : m.Groups["bare"].Value;
            }
        }
        return null;
    }

    [GeneratedRegex(@"<script\b[^>]{0,2000}>", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex ScriptTag();

    [GeneratedRegex(@"(?<name>[a-zA-Z-]+)\s*=\s*(?:""(?<dq>[^""]*)""|'(?<sq>[^']*)'|(?<bare>[^\s>]+))", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex AttributePattern();
}
