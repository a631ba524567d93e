using Portcullis.Audit.Grading;

namespace Portcullis.Audit.Http;

/// <summary>
/// The Observatory's cookie test (src/analyzer/tests/cookies.js): every cookie is checked and the worst result wins.
/// Session and anti-CSRF cookies are recognised by name, as the Observatory does.
/// </summary>
internal static class CookieCheck
{
    /// <summary>Worst last: a later entry replaces an earlier one.</summary>
    private static readonly ObservatoryOutcome[] Badness =
    [
        ObservatoryOutcome.CookiesWithoutSecureButHsts,
        ObservatoryOutcome.CookiesWithoutSecure,
        ObservatoryOutcome.CookiesSessionWithoutSecureButHsts,
        ObservatoryOutcome.CookiesSameSiteInvalid,
        ObservatoryOutcome.CookiesAntiCsrfWithoutSameSite,
        ObservatoryOutcome.CookiesSessionWithoutHttpOnly,
        ObservatoryOutcome.CookiesSessionWithoutSecure,
    ];

    /// <param name="hstsPasses">The HSTS test passed (≥ 6 months, valid certificate): cookies without Secure cost less then.</param>
    public static (ObservatoryOutcome Outcome, IReadOnlyList<SetCookie> Cookies) Run(HeaderList headers, bool hstsPasses)
    {
        var cookies = headers.All("Set-Cookie").Select(SetCookie.Parse).OfType<SetCookie>().ToList();
        if (cookies.Count == 0)
        {
            return (ObservatoryOutcome.CookiesNone, cookies);
        }
        ObservatoryOutcome? worst = null;
        void Note(ObservatoryOutcome outcome)
        {
            if (worst is null || Array.IndexOf(Badness, outcome) > Array.IndexOf(Badness, worst.Value))
            {
                worst = outcome;
            }
        }
        foreach (var cookie in cookies)
        {
            // RFC 6265bis §4.1.2.7: SameSite=None requires Secure, or the browser drops the cookie.
            if (cookie.SameSiteInvalid || (!cookie.Secure && string.Equals(cookie.SameSite, "none", StringComparison.OrdinalIgnoreCase)))
            {
                Note(ObservatoryOutcome.CookiesSameSiteInvalid);
            }
            if (!cookie.Secure)
            {
                Note(hstsPasses ? ObservatoryOutcome.CookiesWithoutSecureButHsts : ObservatoryOutcome.CookiesWithoutSecure);
            }
            if (cookie.LooksLikeAntiCsrf && cookie.SameSite is null)
            {
                Note(ObservatoryOutcome.CookiesAntiCsrfWithoutSameSite);
            }
            if (cookie.LooksLikeSession && !cookie.Secure)
            {
                Note(hstsPasses ? ObservatoryOutcome.CookiesSessionWithoutSecureButHsts : ObservatoryOutcome.CookiesSessionWithoutSecure);
            }
            if (cookie.LooksLikeSession && !cookie.HttpOnly)
            {
                Note(ObservatoryOutcome.CookiesSessionWithoutHttpOnly);
            }
        }
        return (worst ?? (cookies.All(c => c.SameSite is not null)
            ? ObservatoryOutcome.CookiesSecureHttpOnlySessionsAndSameSite
            : ObservatoryOutcome.CookiesSecureHttpOnlySessions), cookies);
    }
}
