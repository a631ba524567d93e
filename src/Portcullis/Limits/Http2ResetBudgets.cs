using System.Collections.Concurrent;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace Portcullis.Limits;

/// <summary>The budgets of the open connections, by Kestrel connection id (the same id a request sees in HttpContext.Connection.Id).</summary>
internal sealed partial class Http2ResetBudgets(TimeProvider time, ILogger<Http2ResetBudgets> logger)
{
    private readonly ConcurrentDictionary<string, Http2ResetBudget> _open = new(StringComparer.Ordinal);

    /// <summary>The connection middleware: gives each connection its budget for as long as it is open.</summary>
    public Func<ConnectionDelegate, ConnectionDelegate> Middleware(int max) => next => async connection =>
    {
        _open[connection.ConnectionId] = new Http2ResetBudget(connection, max, time);
        try
        {
            await next(connection);
        }
        finally
        {
            _open.TryRemove(connection.ConnectionId, out _);
        }
    };

    /// <summary>Counts a stream the client cancelled on connection <paramref name="connectionId"/>; true when the connection was closed for it.</summary>
    public bool OnStreamReset(string connectionId, string client)
    {
        if (!_open.TryGetValue(connectionId, out var budget) || !budget.OnStreamReset())
        {
            return false;
        }
        LogClosed(logger, client, connectionId);
        return true;
    }

    [LoggerMessage(EventId = 1402, Level = LogLevel.Warning, Message = "Client {Client} reset more HTTP/2 streams than limits.http2_max_resets allows (rapid reset); closed connection {ConnectionId}")]
    private static partial void LogClosed(ILogger logger, string client, string connectionId);
}
