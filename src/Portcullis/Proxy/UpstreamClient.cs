using System.Diagnostics;
using System.Net;
using Portcullis.Configuration;

namespace Portcullis.Proxy;

/// <summary>
/// The one HTTP client that talks to upstreams, shared by every config generation so connection pools survive
/// reloads. Tuned as a proxy client: no cookies, redirects, decompression or proxy; short connect timeout.
/// </summary>
internal sealed class UpstreamClient : IDisposable
{
    public UpstreamClient(ProxyConfig config)
    {
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            EnableMultipleHttp2Connections = true,
            ConnectTimeout = config.ConnectTimeout,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(60),
            // Distributed tracing headers are the application's business, not the gateway's.
            ActivityHeadersPropagator = DistributedContextPropagator.CreateNoOutputPropagator(),
        };
        Invoker = new HttpMessageInvoker(handler, disposeHandler: true);
    }

    public HttpMessageInvoker Invoker { get; }

    public void Dispose() => Invoker.Dispose();
}
