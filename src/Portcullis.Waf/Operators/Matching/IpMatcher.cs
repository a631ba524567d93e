using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Portcullis.Waf.Operators.Matching;

/// <summary>
/// <c>@ipMatch</c>: a comma-separated list of IPv4/IPv6 addresses with optional CIDR prefixes
/// (<c>127.0.0.1,10.0.0.0/8,::1,2001:db8::/32</c>). As in ModSecurity v2 (<c>ip_tree_from_param</c>) an entry with a
/// colon is IPv6, anything else IPv4; host bits below the prefix are ignored. Unlike v2, which keeps the two families
/// apart, an IPv4-mapped IPv6 address (<c>::ffff:10.1.2.3</c>, what a dual-stack socket reports) also matches the
/// IPv4 entries: it is the same client.
/// </summary>
internal sealed class IpMatcher
{
    private readonly (uint Network, uint Mask)[] _v4;
    private readonly (UInt128 Network, UInt128 Mask)[] _v6;

    private IpMatcher((uint, uint)[] v4, (UInt128, UInt128)[] v6)
    {
        _v4 = v4;
        _v6 = v6;
    }

    public static IpMatcher Parse(string parameter)
    {
        var v4 = new List<(uint, uint)>();
        var v6 = new List<(UInt128, UInt128)>();
        var entries = parameter.Split(',');
        if (entries.Length == 1 && string.IsNullOrWhiteSpace(entries[0]))
        {
            throw new FormatException("@ipMatch needs at least one address.");
        }
        foreach (var raw in entries)
        {
            var entry = raw.Trim();
            var slash = entry.IndexOf('/', StringComparison.Ordinal);
            var address = slash < 0 ? entry : entry[..slash];
            var isV6 = address.Contains(':', StringComparison.Ordinal);
            var maxPrefix = isV6 ? 128 : 32;
            var prefix = maxPrefix;
            if (slash >= 0 && !TryParsePrefix(entry.AsSpan(slash + 1), maxPrefix, out prefix))
            {
                throw new FormatException(
                    $"@ipMatch entry '{entry}' in '{parameter}': the prefix must be a number from 0 to {maxPrefix}.");
            }
            if (isV6)
            {
                if (!TryParseV6(address, out var value))
                {
                    throw new FormatException($"@ipMatch entry '{entry}' in '{parameter}' is not an IPv6 address.");
                }
                var mask = prefix == 0 ? UInt128.Zero : UInt128.MaxValue << (128 - prefix);
                v6.Add((value & mask, mask));
            }
            else
            {
                if (!TryParseV4(address, out var value))
                {
                    throw new FormatException(
                        $"@ipMatch entry '{entry}' in '{parameter}' is not an IPv4 address (a.b.c.d, each 0-255).");
                }
                var mask = prefix == 0 ? 0u : uint.MaxValue << (32 - prefix);
                v4.Add((value & mask, mask));
            }
        }
        return new IpMatcher([.. v4], [.. v6]);
    }

    /// <summary>True when <paramref name="address"/> is an address inside one of the entries; false for anything
    /// that is not an address (v2 logs an error and does not match).</summary>
    public bool Matches(string address)
    {
        if (address.Contains(':', StringComparison.Ordinal))
        {
            if (!TryParseV6(address, out var v6))
            {
                return false;
            }
            foreach (var (network, mask) in _v6)
            {
                if ((v6 & mask) == network)
                {
                    return true;
                }
            }
            // ::ffff:a.b.c.d is an IPv4 client seen through an IPv6 socket.
            return v6 >> 32 == 0xFFFF && MatchesV4((uint)(v6 & uint.MaxValue));
        }
        return TryParseV4(address, out var v4) && MatchesV4(v4);
    }

    private bool MatchesV4(uint value)
    {
        foreach (var (network, mask) in _v4)
        {
            if ((value & mask) == network)
            {
                return true;
            }
        }
        return false;
    }

    private static bool TryParsePrefix(ReadOnlySpan<char> text, int max, out int prefix) =>
        text.Length is > 0 and <= 3 && !text.ContainsAnyExceptInRange('0', '9')
        && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out prefix) && prefix <= max
        || Fail(out prefix);

    private static bool Fail(out int value)
    {
        value = 0;
        return false;
    }

    /// <summary>Strict dotted quad, like <c>inet_pton(AF_INET)</c>: four decimal parts 0–255, no leading zeros, no
    /// shorthand (.NET's <see cref="IPAddress.TryParse(string, out IPAddress)"/> would take <c>127.1</c>).</summary>
    internal static bool TryParseV4(ReadOnlySpan<char> text, out uint value)
    {
        value = 0;
        var parts = 0;
        var i = 0;
        while (parts < 4)
        {
            var start = i;
            var part = 0;
            while (i < text.Length && char.IsAsciiDigit(text[i]) && i - start < 3)
            {
                part = (part * 10) + (text[i] - '0');
                i++;
            }
            var digits = i - start;
            if (digits == 0 || part > 255 || (digits > 1 && text[start] == '0'))
            {
                return false;
            }
            value = (value << 8) | (uint)part;
            parts++;
            if (parts < 4)
            {
                if (i >= text.Length || text[i] != '.')
                {
                    return false;
                }
                i++;
            }
        }
        return i == text.Length;
    }

    /// <summary>IPv6 text (RFC 4291 §2.2, embedded IPv4 allowed); brackets, zone ids and anything but hex digits,
    /// colons and dots are refused, as <c>inet_pton(AF_INET6)</c> does.</summary>
    internal static bool TryParseV6(ReadOnlySpan<char> text, out UInt128 value)
    {
        value = UInt128.Zero;
        foreach (var c in text)
        {
            if (!char.IsAsciiHexDigit(c) && c != ':' && c != '.')
            {
                return false;
            }
        }
        if (!IPAddress.TryParse(text, out var address) || address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return false;
        }
        Span<byte> bytes = stackalloc byte[16];
        if (!address.TryWriteBytes(bytes, out _))
        {
            return false;
        }
        value = BinaryPrimitives.ReadUInt128BigEndian(bytes);
        return true;
    }
}
