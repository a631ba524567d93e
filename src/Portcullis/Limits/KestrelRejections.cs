using System.Diagnostics;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Portcullis.Observability;

namespace Portcullis.Limits;

/// <summary>
/// Requests Kestrel refuses itself, before the pipeline runs (431 too many or too large headers, 414 request
/// line, 408 headers timeout, 413 body over the cap, 400 malformed), become request events like every other
/// refusal, so the access log shows them with the limit that fired. Kestrel reports each one on its
/// DiagnosticListener as "Microsoft.AspNetCore.Server.Kestrel.BadRequest" with the connection's features.
/// The client is the TCP peer: the headers that would name a client behind a trusted proxy were not read.
/// </summary>
internal sealed class KestrelRejections(RequestEventStream events, TimeProvider time) : IObserver<KeyValuePair<string, object?>>
{
    public const string EventName = "Microsoft.AspNetCore.Server.Kestrel.BadRequest";

    public static IDisposable Subscribe(DiagnosticListener listener, KestrelRejections observer) =>
        listener.Subscribe(observer, static name => name == EventName);

    public void OnNext(KeyValuePair<string, object?> value)
    {
        if (value.Key != EventName || value.Value is not IFeatureCollection features ||
            features.Get<IBadRequestExceptionFeature>()?.Error is not BadHttpRequestException error)
        {
            return;
        }
        var connection = features.Get<IHttpConnectionFeature>();
        var peer = connection?.RemoteIpAddress is { IsIPv4MappedToIPv6: true } mapped ? mapped.MapToIPv4() : connection?.RemoteIpAddress;
        var request = features.Get<IHttpRequestFeature>();
        var tls = features.Get<ITlsHandshakeFeature>();
        var limit = LimitOf(error);
        events.Publish(new RequestEvent
        {
            Timestamp = time.GetUtcNow(),
            RequestId = RequestIds.New(),
            ClientIp = peer,
            PeerIp = peer,
            ClientPort = connection?.RemotePort ?? 0,
            Method = request?.Method ?? "",
            Protocol = request?.Protocol ?? "",
            Scheme = tls is null ? "http" : "https",
            TlsServerName = tls?.HostName,
            StatusCode = error.StatusCode,
            Outcome = limit is null ? "bad_request" : "rejected",
            Limit = limit,
            Error = error.Message,
        });
    }

    /// <summary>Which <c>limits:</c> setting refused it; null for a malformed request (no limit involved).</summary>
    internal static string? LimitOf(BadHttpRequestException error) => error.StatusCode switch
    {
        StatusCodes.Status431RequestHeaderFieldsTooLarge => LimitNames.RequestHeaders,
        StatusCodes.Status414UriTooLong => LimitNames.RequestLine,
        StatusCodes.Status413PayloadTooLarge => LimitNames.BodySize,
        StatusCodes.Status408RequestTimeout => error.Message.Contains("header", StringComparison.OrdinalIgnoreCase)
            ? LimitNames.RequestHeadersTimeout : LimitNames.MinRequestDataRate,
        _ => null,
    };

    public void OnCompleted()
    {
    }

    public void OnError(Exception error)
    {
    }
}
