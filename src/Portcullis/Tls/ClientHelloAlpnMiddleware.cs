using Microsoft.AspNetCore.Connections;

namespace Portcullis.Tls;

/// <summary>
/// Connection middleware in front of TLS: peeks at the ClientHello (consuming nothing) and records the ALPN
/// protocols it offers as a <see cref="ClientHelloAlpn"/> connection feature, for the handshake callback. Runs only
/// while <paramref name="enabled"/> says so (a site answers TLS-ALPN-01 challenges); otherwise it costs one call.
/// </summary>
internal sealed class ClientHelloAlpnMiddleware(ConnectionDelegate next, Func<bool> enabled, TimeSpan timeout)
{
    public async Task OnConnectionAsync(ConnectionContext connection)
    {
        if (enabled())
        {
            var protocols = await PeekAsync(connection);
            if (protocols is null)
            {
                return; // the client sent nothing usable within the handshake timeout, or went away
            }
            connection.Features.Set(new ClientHelloAlpn(protocols));
        }
        await next(connection);
    }

    /// <summary>The offered protocol names (empty when the hello has none or is not a ClientHello); null when the connection should be dropped.</summary>
    private async Task<IReadOnlyList<string>?> PeekAsync(ConnectionContext connection)
    {
        var input = connection.Transport.Input;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(connection.ConnectionClosed);
        deadline.CancelAfter(timeout);
        try
        {
            while (true)
            {
                var result = await input.ReadAsync(deadline.Token);
                var buffer = result.Buffer;
                var status = ClientHelloReader.TryRead(buffer, out var protocols);
                if (status != ClientHelloStatus.NeedMore || result.IsCompleted || buffer.Length >= ClientHelloReader.MaxBytes)
                {
                    // Consume and examine nothing: the TLS stack reads the same bytes next, without waiting for more.
                    input.AdvanceTo(buffer.Start);
                    return status == ClientHelloStatus.Complete ? protocols : [];
                }
                input.AdvanceTo(buffer.Start, buffer.End);
            }
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }
}

/// <summary>The ALPN protocols a connection's ClientHello offered (RFC 7301).</summary>
internal sealed class ClientHelloAlpn(IReadOnlyList<string> protocols)
{
    public const string AcmeTls = "acme-tls/1";

    public IReadOnlyList<string> Protocols { get; } = protocols;

    /// <summary>RFC 8737 §3: the ACME server offers acme-tls/1 (and only it) when it validates a TLS-ALPN-01 challenge.</summary>
    public bool OffersAcmeTls => Protocols.Contains(AcmeTls, StringComparer.Ordinal);

    /// <summary>
    /// Connection middleware after TLS: a connection that negotiated acme-tls/1 is closed at once. RFC 8737 §3: no
    /// application data follows the validation handshake, so nothing (no HTTP) may be served over it.
    /// </summary>
    public static ConnectionDelegate CloseAcmeTlsConnections(ConnectionDelegate next) => connection =>
        connection.Features.Get<Microsoft.AspNetCore.Server.Kestrel.Core.Features.ITlsApplicationProtocolFeature>() is { } alpn
        && alpn.ApplicationProtocol.Span.SequenceEqual("acme-tls/1"u8)
            ? Task.CompletedTask
            : next(connection);
}
