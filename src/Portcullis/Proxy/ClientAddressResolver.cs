using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Portcullis.Proxy;

/// <summary>
/// Finds the real client address. Only a peer inside <c>trusted_proxies</c> may speak for the client through
/// X-Forwarded-For; then the rightmost address that is not itself a trusted proxy is the client (the leftmost
/// entries are whatever the client chose to send, so they are never believed).
/// </summary>
internal sealed class ClientAddressResolver(IReadOnlyList<IPNetwork> trustedProxies)
{
    private readonly IPNetwork[] _trusted = [.. trustedProxies];

    public bool HasTrustedProxies => _trusted.Length > 0;

    public bool IsTrusted(IPAddress? address)
    {
        if (address is null || _trusted.Length == 0)
        {
            return false;
        }
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        foreach (var network in _trusted)
        {
            if (network.Contains(address))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The client address for a request from <paramref name="peer"/> carrying <paramref name="forwardedFor"/>.</summary>
    public IPAddress? Resolve(IPAddress? peer, StringValues forwardedFor)
    {
        if (!IsTrusted(peer) || StringValues.IsNullOrEmpty(forwardedFor))
        {
            return peer;
        }
        var client = peer;
        // Walk right to left across all X-Forwarded-For headers (later headers are appended by nearer proxies).
        for (var h = forwardedFor.Count - 1; h >= 0; h--)
        {
            var parts = (forwardedFor[h] ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            for (var i = parts.Length - 1; i >= 0; i--)
            {
                if (!TryParse(parts[i], out var hop))
                {
                    return client;
                }
                client = hop;
                if (!IsTrusted(hop))
                {
                    return hop;
                }
            }
        }
        return client;
    }

    private static bool TryParse(string text, out IPAddress address)
    {
        // Accept "1.2.3.4", "1.2.3.4:5678", "[v6]", "[v6]:port", and a bare v6 literal.
        if (IPAddress.TryParse(text, out address!))
        {
            return true;
        }
        if (IPEndPoint.TryParse(text, out var endpoint))
        {
            address = endpoint.Address;
            return true;
        }
        return false;
    }

    public static IPAddress? PeerAddress(HttpContext context)
    {
        var address = context.Connection.RemoteIpAddress;
        return address is { IsIPv4MappedToIPv6: true } ? address.MapToIPv4() : address;
    }
}
