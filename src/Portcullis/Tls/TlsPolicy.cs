using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Portcullis.Configuration;

namespace Portcullis.Tls;

/// <summary>
/// The TLS policy the gateway serves: Mozilla Server Side TLS "intermediate" 5.8 (TLS 1.2 + 1.3, ECDHE with AEAD
/// only, DHE removed) or "modern" (TLS 1.3 only). See ../shared/notes/tls.md §2 and §6.
/// </summary>
internal static class TlsPolicy
{
    /// <summary>RFC 8446 suites, all AEAD; OpenSSL enables exactly these three by default too.</summary>
    private static readonly TlsCipherSuite[] Tls13Suites =
    [
        TlsCipherSuite.TLS_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256,
    ];

    /// <summary>Forward-secret (ECDHE) AEAD suites for TLS 1.2: no CBC (Lucky13, POODLE-style padding oracles), no RSA key exchange (no forward secrecy, ROBOT), no DHE (weak/custom groups, Logjam).</summary>
    private static readonly TlsCipherSuite[] Tls12Suites =
    [
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
    ];

    public static SslProtocols Protocols(TlsProfile profile) =>
        profile == TlsProfile.Modern ? SslProtocols.Tls13 : SslProtocols.Tls12 | SslProtocols.Tls13;

    public static IReadOnlyList<TlsCipherSuite> CipherSuites(TlsProfile profile) =>
        profile == TlsProfile.Modern ? Tls13Suites : [.. Tls13Suites, .. Tls12Suites];

    /// <summary>
    /// Server options for one certificate. Built once per site and config generation and shared by every
    /// handshake: building <see cref="CipherSuitesPolicy"/> and the certificate context per connection would cost
    /// more than the handshake.
    /// </summary>
    public static SslServerAuthenticationOptions CreateServerOptions(SslStreamCertificateContext certificate, TlsProfile profile)
    {
        return new SslServerAuthenticationOptions
        {
            ServerCertificateContext = certificate,
            EnabledSslProtocols = Protocols(profile),
            CipherSuitesPolicy = OperatingSystem.IsLinux() || OperatingSystem.IsMacOS() ? new CipherSuitesPolicy(CipherSuites(profile)) : null,
            // Client-initiated renegotiation is a DoS lever and has no use for a web server (RFC 5746 still applies to the handshake itself).
            AllowRenegotiation = false,
            ClientCertificateRequired = false,
            CertificateRevocationCheckMode = X509RevocationModeNone,
            ApplicationProtocols = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11],
        };
    }

    /// <summary>Server options for a chain whose element 0 is the leaf (with its private key), followed by the intermediates.</summary>
    public static SslServerAuthenticationOptions CreateServerOptions(X509Certificate2Collection chain, TlsProfile profile)
    {
        var intermediates = new X509Certificate2Collection();
        for (var i = 1; i < chain.Count; i++)
        {
            intermediates.Add(chain[i]);
        }
        // offline: true means no download at all, which also forbids OCSP stapling (RFC 6066 §8): on Linux .NET
        // fetches the staple from the leaf's AIA OCSP URL in the background only for a context built online whose
        // chain reaches a root. So build online exactly when the chain already reaches a root from the configured
        // certificates and the system store: then the staple is the only download, and a chain that lacks an
        // intermediate is still served as configured instead of being completed from the network.
        var context = SslStreamCertificateContext.Create(chain[0], intermediates, offline: !ReachesRootOffline(chain[0], intermediates));
        return CreateServerOptions(context, profile);
    }

    /// <summary>True when the chain completes to a self-signed root (trusted or not) from the given certificates and the system store alone.</summary>
    private static bool ReachesRootOffline(X509Certificate2 leaf, X509Certificate2Collection intermediates)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.ExtraStore.AddRange(intermediates);
        chain.ChainPolicy.DisableCertificateDownloads = true;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationFlags = X509VerificationFlags.AllFlags;
        chain.Build(leaf);
        var complete = !chain.ChainStatus.Any(s => s.Status.HasFlag(X509ChainStatusFlags.PartialChain));
        foreach (var element in chain.ChainElements)
        {
            element.Certificate.Dispose();
        }
        return complete;
    }

    private const X509RevocationMode X509RevocationModeNone = X509RevocationMode.NoCheck;
}
