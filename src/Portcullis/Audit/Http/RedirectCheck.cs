using Portcullis.Audit.Grading;

namespace Portcullis.Audit.Http;

/// <summary>
/// The Observatory's redirection test (src/analyzer/tests/redirection.js) over the chain a plain-HTTP GET / followed:
/// the first hop must go to HTTPS on the same host (otherwise HSTS, which only counts over HTTPS for that host, is
/// never seen: RFC 6797 §7.2, §8.1), and the chain must end on HTTPS.
/// </summary>
internal static class RedirectCheck
{
    /// <param name="route">The URLs visited, starting with the plain-HTTP one; empty when nothing listened.</param>
    /// <param name="finalCertificateValid">The certificate of the last HTTPS hop fetched; null when none was fetched.</param>
    public static ObservatoryOutcome Evaluate(IReadOnlyList<RedirectHop> route, bool? finalCertificateValid)
    {
        if (route.Count == 0)
        {
            return ObservatoryOutcome.RedirectionNoHttpListener;
        }
        if (finalCertificateValid == false)
        {
            return ObservatoryOutcome.RedirectionInvalidCertificate;
        }
        if (route.Count == 1)
        {
            return ObservatoryOutcome.RedirectionMissing;
        }
        if (route[^1].Url.Scheme != Uri.UriSchemeHttps)
        {
            return ObservatoryOutcome.RedirectionNotToHttps;
        }
        if (route[1].Url.Scheme == Uri.UriSchemeHttp)
        {
            return ObservatoryOutcome.RedirectionNotToHttpsOnInitialRedirection;
        }
        return !string.Equals(route[0].Url.Host, route[1].Url.Host, StringComparison.OrdinalIgnoreCase)
            ? ObservatoryOutcome.RedirectionOffHostFromHttp
            : ObservatoryOutcome.RedirectionToHttps;
    }
}

/// <summary>One URL of the plain-HTTP redirect chain; <paramref name="Status"/> is null for a URL that was not fetched (another host, or the hop limit).</summary>
internal sealed record RedirectHop(Uri Url, int? Status);
