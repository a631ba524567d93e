using Microsoft.AspNetCore.Server.Kestrel.Core;
using Portcullis.Configuration;

namespace Portcullis.Limits;

/// <summary>Applies <see cref="LimitsConfig"/> to Kestrel. The attack each limit stops is documented on <see cref="LimitsConfig"/>.</summary>
internal static class KestrelLimits
{
    public static void Apply(KestrelServerOptions options, LimitsConfig limits)
    {
        var k = options.Limits;
        k.MaxRequestLineSize = limits.MaxRequestLineSize;
        // Kestrel counts the request line into the header buffer, so the buffer must hold both.
        k.MaxRequestBufferSize = Math.Max(1024L * 1024, limits.MaxRequestLineSize + (long)limits.MaxRequestHeadersTotalSize);
        k.MaxRequestHeadersTotalSize = limits.MaxRequestHeadersTotalSize;
        k.MaxRequestHeaderCount = limits.MaxRequestHeaderCount;
        k.RequestHeadersTimeout = limits.RequestHeadersTimeout;
        k.KeepAliveTimeout = limits.KeepAliveTimeout;
        k.MaxRequestBodySize = limits.MaxBodySize;
        k.MinRequestBodyDataRate = limits.MinRequestBodyDataRate > 0 ? new MinDataRate(limits.MinRequestBodyDataRate, limits.DataRateGracePeriod) : null;
        k.MinResponseDataRate = limits.MinResponseDataRate > 0 ? new MinDataRate(limits.MinResponseDataRate, limits.DataRateGracePeriod) : null;
        k.MaxConcurrentConnections = limits.MaxConnections;
        // Upgraded (WebSocket) connections are long-lived by design; cap them separately at the same bound.
        k.MaxConcurrentUpgradedConnections = limits.MaxConnections;
        k.Http2.MaxStreamsPerConnection = limits.Http2MaxStreamsPerConnection;
        // HTTP/2 header list (HPACK-decoded) gets the same budget as HTTP/1.1 headers.
        k.Http2.MaxRequestHeaderFieldSize = Math.Max(k.Http2.MaxRequestHeaderFieldSize, limits.MaxRequestLineSize);
        options.AddServerHeader = false;
        options.AllowSynchronousIO = false;
    }
}
