using System.Collections.Concurrent;
using System.Net.Security;

namespace Portcullis.Acme.Challenges;

/// <summary>
/// The challenge responses the gateway's listeners serve while a CA validates: http-01 key authorizations by token,
/// tls-alpn-01 certificates by host. Thread-safe: the issuer publishes from its task while request threads read.
/// </summary>
internal sealed class AcmeChallengeStore : IAcmeChallengeResponder
{
    private readonly ConcurrentDictionary<string, string> _http = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TlsAlpnEntry> _tlsAlpn = new(StringComparer.OrdinalIgnoreCase);

    public AcmeChallengeStore(string challengeType)
    {
        if (challengeType is not (AcmeChallengeTypes.Http01 or AcmeChallengeTypes.TlsAlpn01))
        {
            throw new ArgumentException($"unsupported ACME challenge type '{challengeType}' (http-01 or tls-alpn-01)", nameof(challengeType));
        }
        ChallengeType = challengeType;
    }

    public string ChallengeType { get; }

    public void Publish(string host, string token, string keyAuthorization)
    {
        ArgumentException.ThrowIfNullOrEmpty(host);
        ArgumentException.ThrowIfNullOrEmpty(token);
        ArgumentException.ThrowIfNullOrEmpty(keyAuthorization);
        if (ChallengeType == AcmeChallengeTypes.Http01)
        {
            _http[token] = keyAuthorization;
            return;
        }
        var certificate = TlsAlpnChallengeCertificate.Create(host, keyAuthorization);
        var context = SslStreamCertificateContext.Create(certificate, additionalCertificates: null, offline: true);
        _tlsAlpn[host.TrimEnd('.')] = new TlsAlpnEntry(token, context);
    }

    public void Withdraw(string host, string token)
    {
        if (ChallengeType == AcmeChallengeTypes.Http01)
        {
            _http.TryRemove(token, out _);
            return;
        }
        // Only the entry this token published: a newer challenge for the same host stays.
        var key = host.TrimEnd('.');
        if (_tlsAlpn.TryGetValue(key, out var entry) && entry.Token == token)
        {
            _tlsAlpn.TryRemove(new KeyValuePair<string, TlsAlpnEntry>(key, entry));
        }
    }

    /// <summary>The body for GET /.well-known/acme-challenge/{token} (RFC 8555 §8.3), when that token is published.</summary>
    public bool TryGetHttpResponse(string token, out string keyAuthorization)
    {
        if (token is not null && _http.TryGetValue(token, out var value))
        {
            keyAuthorization = value;
            return true;
        }
        keyAuthorization = "";
        return false;
    }

    /// <summary>The certificate to present when a ClientHello for <paramref name="host"/> offers ALPN "acme-tls/1" (RFC 8737 §3).</summary>
    public SslStreamCertificateContext? GetTlsAlpnCertificate(string host) =>
        host is not null && _tlsAlpn.TryGetValue(host.TrimEnd('.'), out var entry) ? entry.Context : null;

    private sealed record TlsAlpnEntry(string Token, SslStreamCertificateContext Context);
}
