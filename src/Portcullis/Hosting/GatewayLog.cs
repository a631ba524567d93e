using Microsoft.Extensions.Logging;

namespace Portcullis.Hosting;

/// <summary>Start-up and reload messages of the gateway host.</summary>
internal static partial class GatewayLog
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Portcullis {Version} serving HTTPS on {Https}{HttpNote}; {Sites} site(s); config {ConfigPath}")]
    public static partial void Started(ILogger logger, string version, string https, string httpNote, int sites, string configPath);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Site {Site}: hosts {Hosts}; certificate {Certificate}")]
    public static partial void SiteReady(ILogger logger, string site, string hosts, string certificate);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Information, Message = "Config reloaded from {ConfigPath}: {Sites} site(s)")]
    public static partial void Reloaded(ILogger logger, string configPath, int sites);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Error, Message = "Config reload rejected, still serving the previous config: {Error}")]
    public static partial void ReloadRejected(ILogger logger, string error);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Warning, Message = "Config reload: {Setting} changed but only takes effect after a restart")]
    public static partial void NeedsRestart(ILogger logger, string setting);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Information, Message = "Reloading config ({Reason})")]
    public static partial void Reloading(ILogger logger, string reason);
}
