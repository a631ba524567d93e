using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Portcullis.Acme.Challenges;

namespace Portcullis.Acme.Protocol;

/// <summary>
/// One whole issuance (RFC 8555 §7.1 "Overview"): order, prove control of every identifier with the responder's
/// challenge type, finalize with a fresh key's CSR, download the chain. Challenge responses are withdrawn whatever
/// happens, so nothing stays published after the CA has looked (or given up).
/// </summary>
internal sealed partial class AcmeIssuer
{
    private readonly AcmeClient _client;
    private readonly ILogger _logger;

    public AcmeIssuer(AcmeClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        _client = client;
        _logger = client.Logger;
    }

    public async Task<IssuedCertificate> IssueAsync(IReadOnlyList<string> hosts, IAcmeChallengeResponder responder,
        CertificateKeyType keyType, string? replaces, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        ArgumentNullException.ThrowIfNull(responder);
        var order = await _client.NewOrderAsync(hosts, replaces, cancellationToken);
        if (order.Status is AcmeStatus.Pending)
        {
            await AuthorizeAsync(order, responder, cancellationToken);
        }
        order = await _client.WaitForOrderAsync(order.Url, cancellationToken);

        var (csr, keyPem) = CsrBuilder.Create(hosts, keyType);
        if (order.Status == AcmeStatus.Ready)
        {
            order = await _client.FinalizeAsync(order, csr, cancellationToken);
            if (order.Status != AcmeStatus.Valid)
            {
                // RFC 8555 §7.4: a "processing" answer may say when to look again; the poll honours later ones itself.
                if (order.RetryAfter is { } wait && wait > TimeSpan.Zero)
                {
                    var bounded = wait < _client.Options.PollTimeout ? wait : _client.Options.PollTimeout;
                    await Task.Delay(bounded, _client.Options.Time, cancellationToken);
                }
                order = await _client.WaitForOrderAsync(order.Url, cancellationToken);
            }
        }
        if (order.Status != AcmeStatus.Valid || order.Certificate is null)
        {
            throw new AcmeException($"ACME order {order.Url} ended {order.Status} without a certificate URL", order.Error);
        }

        var chain = await _client.DownloadCertificateAsync(order.Certificate, cancellationToken);
        var leaf = X509Certificate2.CreateFromPem(chain);
        if (!SameKey(leaf, keyPem))
        {
            leaf.Dispose();
            throw new AcmeException($"ACME certificate {order.Certificate} is not for the key we sent in the CSR");
        }
        Log.Issued(_logger, hosts, leaf.SerialNumber, leaf.NotAfter);
        return new IssuedCertificate(chain, keyPem, leaf);
    }

    /// <summary>
    /// Publishes and answers one challenge per pending authorization, then waits for all of them; valid
    /// authorizations (reused by the CA, RFC 8555 §7.1.3) need nothing.
    /// </summary>
    private async Task AuthorizeAsync(AcmeOrder order, IAcmeChallengeResponder responder, CancellationToken cancellationToken)
    {
        var published = new List<(string Host, string Token)>();
        var waiting = new List<Uri>();
        try
        {
            foreach (var url in order.Authorizations)
            {
                var authorization = await _client.GetAuthorizationAsync(url, cancellationToken);
                if (authorization.Status == AcmeStatus.Valid)
                {
                    continue;
                }
                if (authorization.Status != AcmeStatus.Pending)
                {
                    throw new AcmeException($"ACME authorization for {authorization.Identifier.Value} is {authorization.Status}", authorization.FindError());
                }
                var challenge = authorization.Challenges.FirstOrDefault(c => c.Type == responder.ChallengeType);
                if (challenge?.Token is not { Length: > 0 } token)
                {
                    var offered = string.Join(", ", authorization.Challenges.Select(c => c.Type));
                    throw new AcmeException($"ACME CA offers no {responder.ChallengeType} challenge for {authorization.Identifier.Value} (offered: {offered})");
                }
                var host = authorization.Identifier.Value;
                responder.Publish(host, token, _client.KeyAuthorization(token));
                published.Add((host, token));
                if (challenge.Status == AcmeStatus.Pending)
                {
                    await _client.RespondAsync(challenge, cancellationToken);
                }
                waiting.Add(url);
            }
            foreach (var url in waiting)
            {
                await _client.WaitForAuthorizationAsync(url, cancellationToken);
            }
        }
        finally
        {
            foreach (var (host, token) in published)
            {
                responder.Withdraw(host, token);
            }
        }
    }

    private static bool SameKey(X509Certificate2 leaf, string keyPem)
    {
        try
        {
            // Pairing fails when the certificate's public key is not the key's (a CA bug or a mixed-up order).
            using var paired = X509Certificate2.CreateFromPem(leaf.ExportCertificatePem(), keyPem);
            return paired.HasPrivateKey;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return false;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1715, Level = LogLevel.Information, Message = "ACME certificate issued for {Hosts}: serial {Serial}, valid until {NotAfter:O}")]
        public static partial void Issued(ILogger logger, IReadOnlyList<string> hosts, string serial, DateTime notAfter);
    }
}
