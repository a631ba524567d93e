using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Portcullis.Limits;

/// <summary>
/// Who a limit counts: an IPv4 address (/32), or an IPv6 address cut to its prefix (one subscriber's /64 by
/// default). 128 bits, so building and hashing a key allocates nothing on the request path. IPv4 is kept in the
/// IPv4-mapped form (::ffff:a.b.c.d, RFC 4291 §2.5.5.2) so the two families never collide.
/// </summary>
internal readonly record struct ClientKey(UInt128 Value, bool IsIPv4, byte PrefixLength)
{
    private static readonly UInt128 MappedPrefix = (UInt128)0xFFFF << 32;

    /// <summary>The key for <paramref name="address"/>; IPv6 keeps its first <paramref name="ipv6Prefix"/> bits.</summary>
    public static ClientKey From(IPAddress? address, int ipv6Prefix)
    {
        if (address is null)
        {
            return default;
        }
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        Span<byte> bytes = stackalloc byte[16];
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            address.TryWriteBytes(bytes, out _);
            return new ClientKey(MappedPrefix | BinaryPrimitives.ReadUInt32BigEndian(bytes), true, 32);
        }
        address.TryWriteBytes(bytes, out _);
        var value = BinaryPrimitives.ReadUInt128BigEndian(bytes);
        var mask = ipv6Prefix >= 128 ? UInt128.MaxValue : ~(UInt128.MaxValue >> ipv6Prefix);
        return new ClientKey(value & mask, false, (byte)ipv6Prefix);
    }

    /// <summary>"203.0.113.7" or "2001:db8:1:2::/64": what logs, events and the over-limit hook name the client by.</summary>
    public override string ToString()
    {
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(bytes, Value);
        if (IsIPv4)
        {
            return new IPAddress(bytes[12..]).ToString();
        }
        var text = new IPAddress(bytes).ToString();
        return PrefixLength >= 128 ? text : $"{text}/{PrefixLength}";
    }
}
