using System.Net.Security;
using System.Security.Authentication;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Logging;
using Portcullis.Hosting;

namespace Portcullis.Tls;

/// <summary>
/// Chooses the certificate and TLS options during the handshake from the SNI name (RFC 6066 §3): the site that
/// lists the name, else the default site, or a failed handshake when <c>tls.strict_sni</c> is on. Reads the
/// current config generation, so a reload changes certificates without a restart or dropped connections.
/// </summary>
internal sealed partial class SniCertificateSelector(GatewayState state, Acme.AcmeChallengeStores challenges, ILogger<SniCertificateSelector> logger)
{
    public ValueTask<SslServerAuthenticationOptions> SelectAsync(TlsHandshakeCallbackContext context)
    {
        var snapshot = state.Current;
        var name = context.ClientHelloInfo.ServerName;
        if (!string.IsNullOrEmpty(name) && context.Connection.Features.Get<ClientHelloAlpn>() is { OffersAcmeTls: true }
            && challenges.TlsAlpn.GetTlsAlpnCertificate(name) is { } challenge)
        {
            LogAcmeValidation(logger, name);
            return ValueTask.FromResult(AcmeValidationOptions(challenge, snapshot.Config.Tls.Profile));
        }
        var site = string.IsNullOrEmpty(name) ? null : snapshot.FindSite(name);
        if (site is null)
        {
            if (snapshot.Config.Tls.StrictSni)
            {
                LogUnknownServerName(logger, string.IsNullOrEmpty(name) ? "(none)" : name);
                // Throwing aborts the handshake: the connection closes before any certificate is sent.
                throw new AuthenticationException("TLS handshake refused: the client asked for a server name this gateway does not serve.");
            }
            site = snapshot.DefaultSite;
        }
        return ValueTask.FromResult(site.TlsOptions);
    }

    /// <summary>
    /// RFC 8737 §3: the validation handshake negotiates acme-tls/1 and presents the challenge certificate, under the
    /// same protocol and cipher policy as every other handshake. Nothing is served on such a connection:
    /// <see cref="ClientHelloAlpn.CloseAcmeTlsConnections"/> closes it right after the handshake.
    /// </summary>
    private static SslServerAuthenticationOptions AcmeValidationOptions(SslStreamCertificateContext challenge, Configuration.TlsProfile profile)
    {
        var options = TlsPolicy.CreateServerOptions(challenge, profile);
        options.ApplicationProtocols = [Acme.Challenges.AcmeChallengeTypes.AcmeTls1];
        return options;
    }

    [LoggerMessage(EventId = 1302, Level = LogLevel.Information, Message = "TLS-ALPN-01 validation handshake for {ServerName}: answered with the challenge certificate")]
    private static partial void LogAcmeValidation(ILogger logger, string serverName);

    [LoggerMessage(EventId = 1301, Level = LogLevel.Debug, Message = "TLS handshake refused for unknown server name {ServerName} (tls.strict_sni)")]
    private static partial void LogUnknownServerName(ILogger logger, string serverName);
}
