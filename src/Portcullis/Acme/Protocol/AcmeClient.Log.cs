using Microsoft.Extensions.Logging;

namespace Portcullis.Acme.Protocol;

internal sealed partial class AcmeClient
{
    /// <summary>Event ids 1701-1719 belong to the ACME protocol client.</summary>
    private static partial class Log
    {
        [LoggerMessage(EventId = 1701, Level = LogLevel.Debug, Message = "ACME directory {Directory} loaded (renewalInfo: {HasRenewalInfo}, external account required: {EabRequired})")]
        public static partial void DirectoryLoaded(ILogger logger, Uri directory, bool hasRenewalInfo, bool eabRequired);

        [LoggerMessage(EventId = 1702, Level = LogLevel.Information, Message = "ACME account {Account} ready ({How})")]
        public static partial void AccountReady(ILogger logger, Uri account, string how);

        [LoggerMessage(EventId = 1703, Level = LogLevel.Information, Message = "ACME order {Order} placed for {Hosts} ({Status})")]
        public static partial void OrderCreated(ILogger logger, Uri order, IReadOnlyList<string> hosts, string status);

        [LoggerMessage(EventId = 1704, Level = LogLevel.Debug, Message = "ACME server refused the nonce for {Url} (badNonce); retrying with the fresh one ({Attempt}/{Max})")]
        public static partial void BadNonceRetry(ILogger logger, Uri url, int attempt, int max);

        [LoggerMessage(EventId = 1705, Level = LogLevel.Warning, Message = "ACME request {Url} failed with HTTP {Status}: {Problem}")]
        public static partial void Problem(ILogger logger, Uri url, int status, string problem);

        [LoggerMessage(EventId = 1706, Level = LogLevel.Warning, Message = "ACME request {Url} failed with HTTP {Status} and no problem document ({ContentType})")]
        public static partial void HttpError(ILogger logger, Uri url, int status, string contentType);

        [LoggerMessage(EventId = 1707, Level = LogLevel.Warning, Message = "ACME server {Url} is unreachable: {Reason}")]
        public static partial void Unreachable(ILogger logger, Uri url, string reason);

        [LoggerMessage(EventId = 1708, Level = LogLevel.Debug, Message = "ACME {Kind} {Url} is {Status}; polling again in {Delay}")]
        public static partial void Polling(ILogger logger, string kind, Uri url, string status, TimeSpan delay);

        [LoggerMessage(EventId = 1709, Level = LogLevel.Warning, Message = "ACME {Kind} {Url} failed: {Reason}")]
        public static partial void ResourceFailed(ILogger logger, string kind, Uri url, string reason);

        [LoggerMessage(EventId = 1710, Level = LogLevel.Debug, Message = "ACME challenge {Type} at {Url} answered; the CA validates now")]
        public static partial void ChallengeAnswered(ILogger logger, string type, Uri url);

        [LoggerMessage(EventId = 1711, Level = LogLevel.Debug, Message = "ACME renewal information {Url}: renew between {Start} and {End}")]
        public static partial void RenewalInfo(ILogger logger, Uri url, DateTimeOffset start, DateTimeOffset end);
    }
}
