using Microsoft.Extensions.Logging;

namespace Portcullis.Limits;

internal static partial class LimitsLog
{
    [LoggerMessage(EventId = 1401, Level = LogLevel.Warning, Message = "Client {Client} holds {Max} connections, its limit (client_limits.max_connections); refused {Refused} more since the last report")]
    public static partial void ConnectionsRefused(ILogger logger, string client, int max, int refused);
}
