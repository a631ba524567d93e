using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Portcullis.Audit.Tls;

/// <summary>
/// For a server that speaks only TLS 1.3 the Certificate message is encrypted (RFC 8446 §4.4.2), so the chain comes
/// from a real handshake with the system TLS library that accepts any certificate (judging it is the analyzer's job)
/// and records what the server sent.
/// </summary>
internal static class TlsChainFetcher
{
    public static async Task<IReadOnlyList<byte[]>> FetchAsync(IPEndPoint endpoint, string? serverName, TimeSpan timeout, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        List<byte[]> chain = [];
        try
        {
            using var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(endpoint, deadline.Token).ConfigureAwait(false);
            await using var network = new NetworkStream(socket, ownsSocket: false);
            await using var tls = new SslStream(network, leaveInnerStreamOpen: false, (_, certificate, x509Chain, _) =>
            {
                if (certificate is not null)
                {
                    chain.Add(certificate.GetRawCertData());
                }
                // The ExtraStore holds what the peer sent beyond the leaf, in the order received.
                foreach (var extra in x509Chain?.ChainPolicy.ExtraStore ?? [])
                {
                    var raw = extra.RawData;
                    if (!chain.Any(c => c.AsSpan().SequenceEqual(raw)))
                    {
                        chain.Add(raw);
                    }
                }
                return true; // record, do not judge
            });
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = serverName ?? "",
                EnabledSslProtocols = SslProtocols.Tls13 | SslProtocols.Tls12,
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            }, deadline.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AuthenticationException or IOException or SocketException || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            // The chain may have arrived before the handshake failed; otherwise the caller reports "no certificate".
        }
        return chain;
    }
}
