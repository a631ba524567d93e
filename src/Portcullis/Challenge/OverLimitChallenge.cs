using Microsoft.AspNetCore.Http;
using Portcullis.Configuration;
using Portcullis.Hosting;

namespace Portcullis.Challenge;

/// <summary>
/// <c>challenge: suspicious</c> against floods (issue 6): a client over its rate limit on such a site is flagged and
/// gets the challenge instead of a 429, so a browser caught behind a busy NAT can prove itself instead of being
/// refused. A client that already holds a valid pass is over the limit all the same and gets the 429 (a pass is not a
/// licence to flood), and so do exempt paths (APIs cannot run the page).
/// </summary>
internal sealed class OverLimitChallenge(ChallengeGate gate, SuspiciousClients suspicious)
{
    /// <summary>How long a client that went over a limit stays flagged (challenged on every page without a pass).</summary>
    public static readonly TimeSpan FlagTime = TimeSpan.FromMinutes(10);

    /// <summary>True when the request should go on to the challenge instead of being refused by <paramref name="limit"/>.</summary>
    public bool TakesOver(HttpContext context, GatewayContext gateway, string limit)
    {
        if (gateway.Site?.Config is not { Challenge.Mode: ChallengeMode.Suspicious } site)
        {
            return false;
        }
        if (context.Request.Path.Equals(ChallengeEndpoint.Path, StringComparison.OrdinalIgnoreCase))
        {
            // The answer to a challenge must reach the endpoint, or a client over its limit could never earn a pass.
            return true;
        }
        if (ChallengeMiddleware.IsExemptRequest(context.Request.Path, gateway, site.Challenge))
        {
            return false;
        }
        var cookie = PassCookie.Find(context.Request.Headers.Cookie);
        if (!cookie.IsEmpty && gate.Passes.Verify(cookie, site.Name, gateway.Event.ClientIp, gate.Time.GetUtcNow()) == PassVerdict.Valid)
        {
            return false;
        }
        suspicious.Flag(ClientKey.Of(gateway.Event.ClientIp), limit, FlagTime);
        return true;
    }
}
