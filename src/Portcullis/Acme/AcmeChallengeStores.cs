using Portcullis.Acme.Challenges;
using Portcullis.Configuration;

namespace Portcullis.Acme;

/// <summary>
/// The challenge responses being served, one store per challenge type, shared by the ACME manager (which publishes)
/// and the listeners (which answer the CA): the plain-HTTP listener for http-01, the TLS handshake for tls-alpn-01.
/// </summary>
internal sealed class AcmeChallengeStores
{
    public AcmeChallengeStore Http { get; } = new(AcmeChallengeTypes.Http01);

    public AcmeChallengeStore TlsAlpn { get; } = new(AcmeChallengeTypes.TlsAlpn01);

    public AcmeChallengeStore For(AcmeChallengeKind kind) => kind == AcmeChallengeKind.TlsAlpn01 ? TlsAlpn : Http;
}
