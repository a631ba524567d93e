using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;
using Portcullis.Hosting;
using Portcullis.Sites;
using Yarp.ReverseProxy.Forwarder;

namespace Portcullis.Proxy.Http1;

/// <summary>
/// The gateway's own HTTP/1.1 forwarder for plain-http upstreams, used instead of YARP's HttpClient-based one for
/// ordinary requests because it is the hot path (docs/benchmarks.md): it writes the upstream request head straight
/// from Kestrel's parsed headers into a pooled buffer, parses the response head in place, and copies bodies
/// without HttpRequestMessage/HttpResponseMessage objects. Upgrades (WebSockets), Expect: 100-continue, request
/// bodies of unknown length and https upstreams stay with YARP (<see cref="CanForward"/>).
/// </summary>
internal sealed class Http1Forwarder(UpstreamConnectionPool pool)
{
    /// <summary>PORTCULLIS_FORWARDER=yarp sends everything through YARP: for side-by-side benchmarks (docs/benchmarks.md).</summary>
    private static readonly bool Disabled = Environment.GetEnvironmentVariable("PORTCULLIS_FORWARDER") == "yarp";

    public static bool CanForward(HttpContext context, Upstream upstream)
    {
        if (Disabled || !upstream.IsPlainHttp)
        {
            return false;
        }
        var request = context.Request;
        if (HttpMethods.IsConnect(request.Method) || request.Headers.ContainsKey(HeaderNames.Expect) ||
            context.Features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true })
        {
            return false;
        }
        // Bodies of unknown length (HTTP/1.1 chunked, HTTP/2 without content-length) go through YARP, which re-frames them.
        return request.ContentLength is not null || context.Features.Get<IHttpRequestBodyDetectionFeature>() is not { CanHaveBody: true };
    }

    public async Task<(ForwarderError Error, Exception? Exception)> ForwardAsync(HttpContext context, GatewayContext gateway, Upstream upstream, SiteRoute route)
    {
        var forwarded = ForwardedValues.Compute(context, gateway);
        var head = RequestHeadWriter.Write(context, upstream, forwarded, gateway.Event.RequestId, gateway.PeerIsTrustedProxy,
            gateway.Event.ClientIp?.ToString() ?? "", out var headLength);
        using var activity = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        var timeout = route.Config.Timeout;
        activity.CancelAfter(timeout);
        var hasBody = context.Request.ContentLength > 0;
        var retryable = !hasBody && IsIdempotent(context.Request.Method);
        UpstreamConnection? connection = null;
        var responseStarted = false;
        try
        {
            for (var attempt = 0; ; attempt++)
            {
                connection = pool.RentIdle(upstream.EndPoint, probe: !retryable);
                if (connection is null)
                {
                    try
                    {
                        connection = await pool.ConnectAsync(upstream.EndPoint, activity.Token);
                    }
                    catch (Exception ex) when (ex is SocketException or IOException)
                    {
                        return (ForwarderError.Request, ex);
                    }
                }
                try
                {
                    gateway.Event.BytesCounted = true;
                    gateway.Event.BytesIn = 0;
                    await SendRequestAsync(connection, context, head, headLength, hasBody, activity, timeout, gateway.Event);
                    if (await ReadResponseHeadAsync(connection, context, gateway, activity, timeout) is { } response)
                    {
                        responseStarted = true;
                        var reusable = await CopyResponseBodyAsync(connection, context, response, activity, timeout, gateway.Event);
                        connection.Uses++;
                        if (reusable)
                        {
                            pool.Return(connection);
                            connection = null;
                        }
                        return (ForwarderError.None, null);
                    }
                }
                catch (Exception ex) when (ex is SocketException or IOException or StaleConnectionException &&
                                           connection is { Uses: > 0 } && retryable && !responseStarted && attempt == 0)
                {
                    // A kept-alive connection the upstream closed just as we reused it: retry once on a fresh one.
                    // Only without a request body, which is already consumed after the first try, and only for
                    // idempotent methods: the upstream may have acted on the request (RFC 9110 §9.2.2: "A proxy MUST
                    // NOT automatically retry non-idempotent requests").
                    connection.Dispose();
                    connection = null;
                    continue;
                }
                throw new UpstreamProtocolException("the upstream closed the connection without a response");
            }
        }
        catch (OperationCanceledException ex)
        {
            return context.RequestAborted.IsCancellationRequested
                ? (responseStarted ? ForwarderError.ResponseBodyCanceled : ForwarderError.RequestCanceled, ex)
                : (responseStarted ? ForwarderError.ResponseBodyDestination : ForwarderError.RequestTimedOut, ex);
        }
        catch (ClientBodyException ex)
        {
            return (ForwarderError.RequestBodyClient, ex.InnerException);
        }
        catch (Exception ex) when (ex is SocketException or IOException or UpstreamProtocolException or StaleConnectionException)
        {
            return (responseStarted ? ForwarderError.ResponseBodyDestination : ForwarderError.Request, ex);
        }
        finally
        {
            connection?.Dispose();
            ArrayPool<byte>.Shared.Return(head);
        }
    }

    private static async Task SendRequestAsync(UpstreamConnection connection, HttpContext context, byte[] head, int headLength, bool hasBody, CancellationTokenSource activity, TimeSpan timeout, Observability.RequestEvent counter)
    {
        await connection.Socket.SendAsync(head.AsMemory(0, headLength), SocketFlags.None, activity.Token);
        if (!hasBody)
        {
            return;
        }
        var reader = context.Request.BodyReader;
        while (true)
        {
            ReadResult result;
            try
            {
                result = await reader.ReadAsync(activity.Token);
            }
            catch (Exception ex) when (ex is BadHttpRequestException or IOException or Microsoft.AspNetCore.Connections.ConnectionResetException)
            {
                throw new ClientBodyException(ex);
            }
            catch (OperationCanceledException ex) when (!context.RequestAborted.IsCancellationRequested)
            {
                // The client stopped sending its body: its fault (408), not an upstream timeout (504) that would
                // count against a healthy upstream.
                throw new ClientBodyException(new BadHttpRequestException("the request body stopped arriving", StatusCodes.Status408RequestTimeout, ex));
            }
            foreach (var segment in result.Buffer)
            {
                await connection.Socket.SendAsync(segment, SocketFlags.None, activity.Token);
            }
            counter.BytesIn += result.Buffer.Length;
            reader.AdvanceTo(result.Buffer.End);
            activity.CancelAfter(timeout);
            if (result.IsCompleted)
            {
                return;
            }
        }
    }

    /// <summary>Reads the final response head (skipping 1xx), sets status and headers on the client response. Null when the upstream closed first.</summary>
    private static async Task<ResponseHead?> ReadResponseHeadAsync(UpstreamConnection connection, HttpContext context, GatewayContext gateway, CancellationTokenSource activity, TimeSpan timeout)
    {
        while (true)
        {
            var headEnd = ResponseHeadParser.FindHeadEnd(connection.Buffer.AsSpan(connection.Start, connection.Buffered));
            if (headEnd < 0)
            {
                if (await connection.FillAsync(activity.Token) == 0)
                {
                    if (connection.Buffered == 0)
                    {
                        throw new StaleConnectionException();
                    }
                    return null;
                }
                activity.CancelAfter(timeout);
                continue;
            }
            var headBytes = connection.Buffer.AsSpan(connection.Start, headEnd);
            var status = ResponseHeadParser.ParseStatus(headBytes);
            if (status == 101)
            {
                // Only upgrade requests may be switched, and those never take this path.
                throw new UpstreamProtocolException("the upstream switched protocols on a request that did not ask to");
            }
            if (status is >= 100 and < 200)
            {
                // 100 Continue / 103 Early Hints: informational, the final response follows (101 cannot happen: no upgrades here).
                connection.Consume(headEnd);
                continue;
            }
            var response = context.Response;
            var parsed = ResponseHeadParser.Parse(headBytes, response.Headers);
            connection.Consume(headEnd);
            response.StatusCode = parsed.StatusCode;
            if (HasNoBody(context, parsed.StatusCode))
            {
                parsed.Chunked = false;
                if (parsed.StatusCode is 204 or 304)
                {
                    parsed.ContentLength = -1;
                }
            }
            if (parsed.ContentLength >= 0)
            {
                response.ContentLength = parsed.ContentLength;
            }
            gateway.Site!.Headers.Apply(response.Headers);
            response.Headers[Observability.RequestTrackingMiddleware.RequestIdHeader] = gateway.Event.RequestId;
            return parsed;
        }
    }

    private static bool IsIdempotent(string method) =>
        HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsTrace(method) ||
        HttpMethods.IsPut(method) || HttpMethods.IsDelete(method);

    private static bool HasNoBody(HttpContext context, int status) =>
        HttpMethods.IsHead(context.Request.Method) || status is 204 or 304;

    /// <summary>Copies the body to the client; returns whether the connection can carry another request.</summary>
    private static async Task<bool> CopyResponseBodyAsync(UpstreamConnection connection, HttpContext context, ResponseHead head, CancellationTokenSource activity, TimeSpan timeout, Observability.RequestEvent counter)
    {
        var writer = context.Response.BodyWriter;
        if (HasNoBody(context, head.StatusCode))
        {
            await context.Response.StartAsync(activity.Token);
            return !head.Close && connection.Buffered == 0;
        }
        if (head.Chunked)
        {
            return await ChunkedBody.CopyAsync(connection, writer, activity, timeout, counter) && !head.Close;
        }
        if (head.ContentLength >= 0)
        {
            var remaining = head.ContentLength;
            while (remaining > 0)
            {
                if (connection.Buffered == 0)
                {
                    if (await connection.FillAsync(activity.Token) == 0)
                    {
                        throw new UpstreamProtocolException("the upstream closed the connection before the end of the body");
                    }
                    activity.CancelAfter(timeout);
                }
                var take = (int)Math.Min(remaining, connection.Buffered);
                await writer.WriteAsync(connection.Buffer.AsMemory(connection.Start, take), activity.Token);
                connection.Consume(take);
                remaining -= take;
                counter.BytesOut += take;
            }
            if (head.ContentLength == 0)
            {
                await context.Response.StartAsync(activity.Token);
            }
            return !head.Close && connection.Buffered == 0;
        }
        // No length and not chunked: the body runs until the upstream closes (RFC 9112 §6.3 rule 8).
        while (true)
        {
            if (connection.Buffered > 0)
            {
                var count = connection.Buffered;
                await writer.WriteAsync(connection.Buffer.AsMemory(connection.Start, count), activity.Token);
                connection.Consume(count);
                counter.BytesOut += count;
            }
            if (await connection.FillAsync(activity.Token) == 0)
            {
                return false;
            }
            activity.CancelAfter(timeout);
        }
    }

    /// <summary>The client's request body failed (too large, reset, too slow): a client error, not the upstream's.</summary>
    private sealed class ClientBodyException(Exception inner) : Exception(inner.Message, inner);
}
