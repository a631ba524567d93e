using Portcullis.Audit.Grading;

namespace Portcullis.Audit.Http;

/// <summary>
/// The Observatory's one-header tests (src/analyzer/tests/*.js): each reads one response header and names a result.
/// </summary>
internal static class HeaderChecks
{
    private static readonly string[] PrivateReferrer = ["no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"];
    private static readonly string[] UnsafeReferrer = ["origin", "origin-when-cross-origin", "unsafe-url", "no-referrer-when-downgrade"];

    /// <summary>X-Frame-Options (RFC 7034), overruled by CSP frame-ancestors, which browsers prefer (CSP3 §6.4.2).</summary>
    public static ObservatoryOutcome FrameOptions(HeaderList headers, CspPolicy? csp)
    {
        if (csp?.Get("frame-ancestors") is not null)
        {
            return ObservatoryOutcome.XFrameOptionsViaCspFrameAncestors;
        }
        var value = headers.First("X-Frame-Options")?.Trim().ToLowerInvariant();
        return value switch
        {
            null => ObservatoryOutcome.XFrameOptionsMissing,
            "deny" or "sameorigin" => ObservatoryOutcome.XFrameOptionsDenyOrSameOrigin,
            _ when value.StartsWith("allow-from", StringComparison.Ordinal) => ObservatoryOutcome.XFrameOptionsAllowFrom,
            _ => ObservatoryOutcome.XFrameOptionsInvalid,
        };
    }

    /// <summary>X-Content-Type-Options: only "nosniff" exists (Fetch §3.5).</summary>
    public static ObservatoryOutcome ContentTypeOptions(HeaderList headers) =>
        headers.First("X-Content-Type-Options")?.Trim() switch
        {
            null => ObservatoryOutcome.XContentTypeOptionsMissing,
            var v when v.Equals("nosniff", StringComparison.OrdinalIgnoreCase) => ObservatoryOutcome.XContentTypeOptionsNosniff,
            _ => ObservatoryOutcome.XContentTypeOptionsInvalid,
        };

    /// <summary>Referrer-Policy: the last value the browser knows wins (Referrer Policy §8.1), so unknown fallbacks are skipped.</summary>
    public static ObservatoryOutcome ReferrerPolicy(HeaderList headers)
    {
        var fields = headers.All("Referrer-Policy");
        if (fields.Count == 0)
        {
            return ObservatoryOutcome.ReferrerPolicyMissing;
        }
        var policy = string.Join(",", fields).Split(',').Select(v => v.Trim().ToLowerInvariant())
            .LastOrDefault(v => PrivateReferrer.Contains(v) || UnsafeReferrer.Contains(v));
        return policy is null ? ObservatoryOutcome.ReferrerPolicyInvalid
            : PrivateReferrer.Contains(policy) ? ObservatoryOutcome.ReferrerPolicyPrivate
            : ObservatoryOutcome.ReferrerPolicyUnsafe;
    }

    /// <summary>Cross-Origin-Resource-Policy (Fetch §3.7).</summary>
    public static ObservatoryOutcome ResourcePolicy(HeaderList headers) => Token(headers, "Cross-Origin-Resource-Policy") switch
    {
        null or "cross-origin" => ObservatoryOutcome.CorpCrossOriginOrMissing,
        "same-origin" or "same-site" => ObservatoryOutcome.CorpSameOriginOrSameSite,
        _ => ObservatoryOutcome.CorpInvalid,
    };

    /// <summary>Cross-Origin-Opener-Policy (HTML §7.1.3).</summary>
    public static ObservatoryOutcome OpenerPolicy(HeaderList headers) => Token(headers, "Cross-Origin-Opener-Policy") switch
    {
        null or "unsafe-none" => ObservatoryOutcome.CoopMissing,
        "same-origin" or "same-origin-allow-popups" or "noopener-allow-popups" => ObservatoryOutcome.CoopIsolating,
        _ => ObservatoryOutcome.CoopInvalid,
    };

    /// <summary>Cross-Origin-Embedder-Policy (HTML §7.1.4).</summary>
    public static ObservatoryOutcome EmbedderPolicy(HeaderList headers) => Token(headers, "Cross-Origin-Embedder-Policy") switch
    {
        null or "unsafe-none" => ObservatoryOutcome.CoepMissing,
        "require-corp" or "credentialless" => ObservatoryOutcome.CoepIsolating,
        _ => ObservatoryOutcome.CoepInvalid,
    };

    /// <summary>
    /// CORS on the audit's GET, which carried <see cref="HttpFetcher.AuditOrigin"/>: echoing an unknown origin while
    /// allowing credentials lets any site read this one as the logged-in user (Fetch §3.2.3).
    /// </summary>
    public static ObservatoryOutcome Cors(HeaderList headers)
    {
        var origin = headers.First("Access-Control-Allow-Origin")?.Trim();
        if (origin is null)
        {
            return ObservatoryOutcome.CorsNone;
        }
        if (origin == "*")
        {
            return ObservatoryOutcome.CorsPublic;
        }
        var credentials = string.Equals(headers.First("Access-Control-Allow-Credentials")?.Trim(), "true", StringComparison.OrdinalIgnoreCase);
        return credentials && string.Equals(origin, HttpFetcher.AuditOrigin, StringComparison.OrdinalIgnoreCase)
            ? ObservatoryOutcome.CorsUniversalWithCredentials
            : ObservatoryOutcome.CorsRestricted;
    }

    /// <summary>A structured-header token without parameters ("same-origin; report-to=x" → "same-origin"), lower-cased.</summary>
    private static string? Token(HeaderList headers, string name) =>
        headers.First(name)?.Split(';')[0].Trim().Trim('"').ToLowerInvariant();
}
