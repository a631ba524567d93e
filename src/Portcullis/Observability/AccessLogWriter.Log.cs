using Microsoft.Extensions.Logging;

namespace Portcullis.Observability;

internal sealed partial class AccessLogWriter
{
    // Event ids 1100-1199 belong to the access log.
    private static partial class Log
    {
        [LoggerMessage(1100, LogLevel.Warning,
            "Access log queue full ({Capacity} events): {DroppedEvents} events dropped so far. The log destination is not keeping up with traffic.")]
        public static partial void EventsDropped(ILogger logger, long droppedEvents, int capacity);

        [LoggerMessage(1101, LogLevel.Error, "Could not write the access log to '{Path}'; lines are being lost.")]
        public static partial void WriteFailed(ILogger logger, string path, Exception exception);

        [LoggerMessage(1102, LogLevel.Error, "Could not rotate the access log '{Path}'; writing on to the current file.")]
        public static partial void RotateFailed(ILogger logger, string path, Exception exception);

        [LoggerMessage(1103, LogLevel.Error, "Could not write the access log to stdout; lines are being lost.")]
        public static partial void StdoutFailed(ILogger logger, Exception exception);

        [LoggerMessage(1104, LogLevel.Warning, "Could not format the access log line for request {RequestId}; the line is skipped.")]
        public static partial void FormatFailed(ILogger logger, string requestId, Exception exception);
    }
}
