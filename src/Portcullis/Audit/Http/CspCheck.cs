using Portcullis.Audit.Grading;

namespace Portcullis.Audit.Http;

/// <summary>
/// The Observatory's CSP test over the response headers (src/analyzer/tests/csp.js). The first problem found decides
/// the result, worst first: inline/broad script or object sources, active content over HTTP, 'unsafe-eval', passive
/// content over HTTP, unsafe style sources. &lt;meta http-equiv&gt; policies in the HTML are not read.
/// </summary>
internal static class CspCheck
{
    /// <summary>Sources that allow (nearly) any origin: a policy with these restricts nothing.</summary>
    private static readonly HashSet<string> Broad = new(StringComparer.Ordinal)
    {
        "ftp:", "http:", "https:", "*", "http://*", "http://*.*", "https://*", "https://*.*",
    };

    private static readonly HashSet<string> Inline = new(StringComparer.Ordinal) { "'unsafe-inline'", "data:" };

    private static readonly string[] PassiveDirectives = ["img-src", "media-src"];

    private static readonly string[] NonceOrHash = ["'sha256-", "'sha384-", "'sha512-", "'nonce-"];

    public static (ObservatoryOutcome Outcome, CspPolicy? Policy, string? Problem) Run(HeaderList headers)
    {
        var fields = headers.All("Content-Security-Policy");
        if (fields.Count == 0)
        {
            return (headers.Has("Content-Security-Policy-Report-Only") ? ObservatoryOutcome.CspReportOnlyOnly : ObservatoryOutcome.CspMissing, null, null);
        }
        var policy = CspPolicy.Parse(fields, out var problem);
        if (policy is null)
        {
            return (ObservatoryOutcome.CspInvalid, null, problem);
        }
        return (Evaluate(policy, out problem), policy, problem);
    }

    private static ObservatoryOutcome Evaluate(CspPolicy policy, out string? problem)
    {
        problem = null;
        var defaultSrc = policy.Get("default-src");
        var script = new HashSet<string>(policy.Get("script-src") ?? defaultSrc ?? ["*"], StringComparer.Ordinal);
        var objects = new HashSet<string>(policy.Get("object-src") ?? defaultSrc ?? ["*"], StringComparer.Ordinal);
        var style = new HashSet<string>(policy.Get("style-src") ?? defaultSrc ?? ["*"], StringComparer.Ordinal);

        // CSP3 §6.7.3.3: with a nonce or hash present, browsers ignore 'unsafe-inline' (it is only a CSP1 fallback).
        foreach (var list in new[] { script, style })
        {
            if (HasNonceOrHash(list))
            {
                list.Remove("'unsafe-inline'");
            }
        }
        if (script.Contains("'strict-dynamic'"))
        {
            if (!HasNonceOrHash(script))
            {
                problem = "'strict-dynamic' without a nonce or hash blocks every script";
                return ObservatoryOutcome.CspInvalid;
            }
            // CSP3 §8.2: 'strict-dynamic' makes browsers ignore host and scheme sources, 'self' and 'unsafe-inline'.
            script.RemoveWhere(s => Broad.Any(b => s.StartsWith(b, StringComparison.Ordinal)) || s is "'self'" or "'unsafe-inline'");
        }
        var active = policy.Directives.Where(d => d.Key is not ("img-src" or "media-src" or "script-src")).SelectMany(d => d.Value).Concat(script).ToList();
        var passive = PassiveDirectives.SelectMany(d => policy.Get(d) ?? defaultSrc ?? []).ToList();

        ObservatoryOutcome result;
        if (script.Any(s => Broad.Contains(s) || Inline.Contains(s)) || objects.Any(Broad.Contains))
        {
            result = ObservatoryOutcome.CspUnsafeInline;
        }
        else if (active.Any(IsInsecure))
        {
            result = ObservatoryOutcome.CspInsecureScheme;
        }
        else if (script.Contains("'unsafe-eval'") || style.Contains("'unsafe-eval'"))
        {
            result = ObservatoryOutcome.CspUnsafeEval;
        }
        else if (passive.Any(IsInsecure))
        {
            result = ObservatoryOutcome.CspInsecureSchemeInPassiveContentOnly;
        }
        else if (style.Any(s => Broad.Contains(s) || Inline.Contains(s)))
        {
            result = ObservatoryOutcome.CspUnsafeInlineInStyleSrcOnly;
        }
        else if (defaultSrc is { Count: 1 } && defaultSrc.Contains("'none'"))
        {
            result = ObservatoryOutcome.CspNoUnsafeDefaultSrcNone;
        }
        else
        {
            result = ObservatoryOutcome.CspNoUnsafe;
        }
        var passed = result is ObservatoryOutcome.CspNoUnsafe or ObservatoryOutcome.CspNoUnsafeDefaultSrcNone
            or ObservatoryOutcome.CspUnsafeInlineInStyleSrcOnly or ObservatoryOutcome.CspInsecureSchemeInPassiveContentOnly;
        return passed && policy.RepeatedReporting ? ObservatoryOutcome.CspDuplicateDirectives : result;
    }

    private static bool HasNonceOrHash(IEnumerable<string> sources) =>
        sources.Any(s => NonceOrHash.Any(p => s.StartsWith(p, StringComparison.Ordinal)));

    private static bool IsInsecure(string source) =>
        source.StartsWith("http:", StringComparison.Ordinal) || source.StartsWith("ftp:", StringComparison.Ordinal);
}
