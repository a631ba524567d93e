using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Portcullis.Hosting;
using Portcullis.Waf.Transactions;

namespace Portcullis.Firewall;

/// <summary>Gives the engine the connection, the request line as received and the request headers.</summary>
internal static class RequestFeeder
{
    public static void Feed(Transaction tx, HttpContext context, GatewayContext gateway)
    {
        var connection = context.Connection;
        tx.ProcessConnection(
            gateway.Event.ClientIp?.ToString() ?? "",
            connection.RemotePort,
            connection.LocalIpAddress?.ToString() ?? "",
            connection.LocalPort);
        var request = context.Request;
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        var target = string.IsNullOrEmpty(raw) ? request.Path.ToUriComponent() + request.QueryString.ToUriComponent() : raw;
        tx.ProcessUri(request.Method, Latin1.FromUtf8Decoded(target), request.Protocol);
        foreach (var header in request.Headers)
        {
            foreach (var value in header.Value)
            {
                tx.AddRequestHeader(header.Key, value ?? "");
            }
        }
    }
}
