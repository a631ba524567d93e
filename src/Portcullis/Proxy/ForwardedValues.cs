using Microsoft.AspNetCore.Http;
using Portcullis.Hosting;

namespace Portcullis.Proxy;

/// <summary>
/// The X-Forwarded-For/-Proto/-Host values sent upstream. From a trusted proxy its values are believed and its
/// X-Forwarded-For extended with the peer; from anyone else they are replaced, so a client cannot forge its
/// address to the application.
/// </summary>
internal static class ForwardedValues
{
    public static (string For, string Proto, string Host) Compute(HttpContext context, GatewayContext gateway)
    {
        var request = context.Request;
        var peer = gateway.Event.PeerIp?.ToString() ?? "";
        if (!gateway.PeerIsTrustedProxy)
        {
            return (peer, request.Scheme, request.Host.Value ?? "");
        }
        var incomingFor = request.Headers[ForwardedHeaderNames.XForwardedFor];
        var forValue = incomingFor.Count switch
        {
            0 => peer,
            1 => incomingFor[0] + ", " + peer,
            _ => string.Join(", ", incomingFor.ToArray()) + ", " + peer,
        };
        var proto = request.Headers[ForwardedHeaderNames.XForwardedProto];
        var host = request.Headers[ForwardedHeaderNames.XForwardedHost];
        return (forValue, proto.Count > 0 ? proto.ToString() : request.Scheme, host.Count > 0 ? host.ToString() : request.Host.Value ?? "");
    }
}
