using System.Net;
using System.Net.Sockets;

namespace Portcullis.Challenge;

/// <summary>
/// Who a client is for challenges: an IPv4 address, or the /64 of an IPv6 address. One IPv6 host usually owns a
/// whole /64 (SLAAC, privacy addresses rotate inside it, RFC 8981), so binding to the full address would let it
/// mint a new identity per request, and binding passes to it would drop users whose privacy address rotates.
/// </summary>
internal static class ClientKey
{
    /// <summary>Bytes <see cref="WriteBinding"/> writes at most: a family tag and 8 address bytes.</summary>
    public const int MaxBindingLength = 9;

    private const int V6PrefixBytes = 8;

    /// <summary>
    /// Writes the client's identity as MAC input: a family tag (4, 6, or 0 for no address) and the IPv4 address or the
    /// first 64 bits of the IPv6 one. IPv4-mapped IPv6 counts as the IPv4 address. Returns the bytes written.
    /// </summary>
    public static int WriteBinding(IPAddress? address, Span<byte> destination)
    {
        if (address is null)
        {
            destination[0] = 0;
            return 1;
        }
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        Span<byte> bytes = stackalloc byte[16];
        if (!address.TryWriteBytes(bytes, out var written))
        {
            destination[0] = 0;
            return 1;
        }
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            destination[0] = 4;
            bytes[..4].CopyTo(destination[1..]);
            return 5;
        }
        destination[0] = 6;
        bytes[..Math.Min(written, V6PrefixBytes)].CopyTo(destination[1..]);
        return 1 + V6PrefixBytes;
    }

    /// <summary>The key as text, as <see cref="SuspiciousClients"/> stores it: "203.0.113.7" or "2001:db8:1:2::/64".</summary>
    public static string Of(IPAddress? address)
    {
        if (address is null)
        {
            return "-";
        }
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[V6PrefixBytes..].Clear();
        return new IPAddress(bytes).ToString() + "/64";
    }
}
