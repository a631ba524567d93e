using System.Diagnostics;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

using Portcullis.Hosting;
using Portcullis.Proxy;

namespace Portcullis.Observability;

/// <summary>
/// Outermost step of the pipeline: gives the request its id and real client address, and when the response is
/// done publishes its one <see cref="RequestEvent"/> to the stream (ARCHITECTURE §3).
/// </summary>
internal sealed class RequestTrackingMiddleware(RequestDelegate next, GatewayState state, RequestEventStream stream, TimeProvider time)
{
    public const string RequestIdHeader = "X-Request-Id";

    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        var snapshot = state.Current;
        var request = context.Request;
        var peer = ClientAddressResolver.PeerAddress(context);
        var trusted = snapshot.ClientAddresses.IsTrusted(peer);
        var incomingId = request.Headers[RequestIdHeader];
        var requestEvent = new RequestEvent
        {
            Timestamp = time.GetUtcNow(),
            RequestId = trusted && RequestIds.IsAcceptable(incomingId) ? incomingId.ToString() : RequestIds.New(),
            PeerIp = peer,
            ClientIp = trusted ? snapshot.ClientAddresses.Resolve(peer, request.Headers[ForwardedHeaderNames.XForwardedFor]) : peer,
            ClientPort = context.Connection.RemotePort,
            Method = request.Method,
            Host = request.Host.Host,
            Path = request.Path.Value ?? "",
            Query = request.QueryString.HasValue ? request.QueryString.Value![1..] : "",
            Protocol = request.Protocol,
            Scheme = request.Scheme,
            UserAgent = request.Headers.UserAgent.Count > 0 ? request.Headers.UserAgent.ToString() : null,
            Referrer = request.Headers.Referer.Count > 0 ? request.Headers.Referer.ToString() : null,
        };
        if (request.IsHttps && context.Features.Get<ITlsHandshakeFeature>() is { } tls)
        {
            requestEvent.TlsProtocol = tls.Protocol switch
            {
                System.Security.Authentication.SslProtocols.Tls13 => "1.3",
                System.Security.Authentication.SslProtocols.Tls12 => "1.2",
                var other => other.ToString(),
            };
            requestEvent.TlsServerName = tls.HostName;
        }
        var gateway = new GatewayContext(snapshot, requestEvent, trusted);
        context.Features.Set(gateway);
        context.Response.Headers[RequestIdHeader] = requestEvent.RequestId;
        try
        {
            await next(context);
        }
        finally
        {
            requestEvent.StatusCode = context.Response.StatusCode;
            if (!requestEvent.BytesCounted)
            {
                requestEvent.BytesIn = request.ContentLength ?? 0;
                requestEvent.BytesOut = context.Response.ContentLength ?? 0;
            }
            requestEvent.Duration = Stopwatch.GetElapsedTime(started);
            if (context.RequestAborted.IsCancellationRequested && requestEvent.Outcome.Length == 0)
            {
                requestEvent.Outcome = "client_aborted";
            }
            stream.Publish(requestEvent);
        }
    }
}
