using Microsoft.Extensions.Logging;

namespace Portcullis.Challenge;

/// <summary>
/// Challenge messages (event ids 19xx). Issued challenges and refused non-browser requests are Debug: under a flood
/// there is one per request, and the access log's portcullis.challenge field already records each.
/// </summary>
internal static partial class ChallengeLog
{
    [LoggerMessage(EventId = 1901, Level = LogLevel.Debug, Message = "Challenge issued to {Client} on site {Site} ({Reason}), request {RequestId}")]
    public static partial void Issued(ILogger logger, System.Net.IPAddress? client, string site, string reason, string requestId);

    [LoggerMessage(EventId = 1902, Level = LogLevel.Information, Message = "Challenge solved by {Client} on site {Site}; pass valid for {Minutes} min, request {RequestId}")]
    public static partial void Solved(ILogger logger, System.Net.IPAddress? client, string site, double minutes, string requestId);

    [LoggerMessage(EventId = 1903, Level = LogLevel.Information, Message = "Challenge answer from {Client} on site {Site} refused: {Reason}, request {RequestId}")]
    public static partial void Failed(ILogger logger, System.Net.IPAddress? client, string site, string reason, string requestId);

    [LoggerMessage(EventId = 1904, Level = LogLevel.Debug, Message = "Request from {Client} on site {Site} refused until it passes the challenge ({Reason}; not a browser page load), request {RequestId}")]
    public static partial void Required(ILogger logger, System.Net.IPAddress? client, string site, string reason, string requestId);

    [LoggerMessage(EventId = 1905, Level = LogLevel.Warning, Message = "Challenge replay cache filled up early ({Count} times so far): a flood of solutions; browsers holding older challenges get a fresh one")]
    public static partial void ReplayCacheFull(ILogger logger, int count);

    [LoggerMessage(EventId = 1906, Level = LogLevel.Error, Message = "Challenge key {Path} cannot be used: {Error}")]
    public static partial void KeyUnavailable(ILogger logger, string path, string error);
}
