using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Portcullis.Configuration;
using Portcullis.Hosting;

namespace Portcullis.Challenge;

/// <summary><c>AddChallenge</c> registers the gate, the suspicious-client set and the endpoint; <c>UseChallenge</c> adds the middleware.</summary>
internal static class ChallengeRegistration
{
    public static IServiceCollection AddChallenge(this IServiceCollection services, string dataDir)
    {
        services.AddSingleton(sp => new ChallengeGate(dataDir, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new SuspiciousClients(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<ChallengeEndpoint>();
        services.AddSingleton<OverLimitChallenge>();
        return services;
    }

    /// <summary>
    /// After site selection (the site's mode and the route's exemption decide), before the firewall (a challenged
    /// client costs no rule evaluation). When a site uses challenges, the key is loaded or created now, so a broken
    /// key file stops the start with its reason.
    /// </summary>
    public static IApplicationBuilder UseChallenge(this IApplicationBuilder app)
    {
        var gate = app.ApplicationServices.GetService<ChallengeGate>() ??
                   throw new InvalidOperationException("UseChallenge needs AddChallenge first.");
        var state = app.ApplicationServices.GetRequiredService<GatewayState>();
        if (state.Current.Sites.Any(s => s.Config.Challenge.Mode != ChallengeMode.Off))
        {
            try
            {
                gate.EnsureKeys();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
            {
                var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger("Portcullis.Challenge");
                ChallengeLog.KeyUnavailable(logger, gate.KeyPath, ex.Message);
                throw new GatewayStartException([$"challenge key {gate.KeyPath}: {ex.Message}"]);
            }
        }
        return app.UseMiddleware<ChallengeMiddleware>();
    }
}
