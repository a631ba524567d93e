using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;
using Portcullis.Hosting;
using Portcullis.Observability;

namespace Portcullis.Limits;

/// <summary>
/// Caps open connections per client address (<c>client_limits.max_connections</c>) as Kestrel accepts them,
/// before TLS: a refused connection costs the gateway no handshake. The client is the TCP peer; a peer in
/// trusted_proxies carries many clients and is not capped here (its clients are still rate limited one by one).
/// Refusals are reported once per client per <see cref="ReportInterval"/> (a warning and one request event), not
/// once per connection, so a connection flood cannot flood the logs too.
/// </summary>
internal sealed class ClientConnectionLimit(ConnectionDelegate next, GatewayState state, RequestEventStream events, LimitSignals signals, TimeProvider time, ILogger logger)
{
    public static readonly TimeSpan ReportInterval = TimeSpan.FromSeconds(10);

    private readonly ClientCounters _open = new();

    public async Task OnConnectionAsync(ConnectionContext connection)
    {
        var snapshot = state.Current;
        var limits = snapshot.Config.ClientLimits;
        if (limits.MaxConnections is not { } max || connection.RemoteEndPoint is not IPEndPoint peer || snapshot.ClientAddresses.IsTrusted(peer.Address))
        {
            await next(connection);
            return;
        }
        var client = ClientKey.From(peer.Address, limits.Ipv6Prefix);
        if (!_open.TryEnter(client, max, out var counter))
        {
            Refuse(connection, peer, client, max, counter);
            return;
        }
        try
        {
            await next(connection);
        }
        finally
        {
            _open.Leave(client, counter);
        }
    }

    private void Refuse(ConnectionContext connection, IPEndPoint peer, ClientKey client, int max, ClientCounters.Counter counter)
    {
        connection.Abort(new ConnectionAbortedException("over client_limits.max_connections"));
        var now = time.GetTimestamp();
        int refused;
        lock (counter)
        {
            counter.RefusedSinceReport++;
            if (counter.LastReported != long.MinValue && time.GetElapsedTime(counter.LastReported, now) < ReportInterval)
            {
                return;
            }
            counter.LastReported = now;
            refused = counter.RefusedSinceReport;
            counter.RefusedSinceReport = 0;
        }
        LimitsLog.ConnectionsRefused(logger, client.ToString(), max, refused);
        signals.Raise(client, LimitNames.ConnectionsPerClient);
        var address = peer.Address.IsIPv4MappedToIPv6 ? peer.Address.MapToIPv4() : peer.Address;
        events.Publish(new RequestEvent
        {
            Timestamp = time.GetUtcNow(),
            ClientIp = address,
            PeerIp = address,
            ClientPort = peer.Port,
            Outcome = "connection_refused",
            Limit = LimitNames.ConnectionsPerClient,
            Error = $"{refused} connection(s) refused over the limit of {max} per client since the last report",
        });
    }
}
