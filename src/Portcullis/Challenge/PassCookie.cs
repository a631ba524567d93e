using System.Buffers.Binary;
using System.Buffers.Text;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace Portcullis.Challenge;

/// <summary>
/// The cookie a solved challenge earns: <c>1.&lt;expiry unix seconds&gt;.&lt;base64url HMAC-SHA256&gt;</c>. The MAC
/// covers the version, the expiry, the client (IPv4 address or IPv6 /64, <see cref="ClientKey"/>) and the site name,
/// so a pass is refused when forged, tampered with, expired, or shown by another client or to another site. Only the
/// expiry travels in clear; site and client are what the verifier already knows. Checking one costs one HMAC over
/// under 90 bytes and allocates nothing (docs/benchmarks.md).
/// </summary>
internal sealed class PassCookie(byte[] key)
{
    /// <summary>
    /// The __Host- prefix makes browsers accept the cookie only with Secure, Path=/ and no Domain, so a sibling
    /// subdomain cannot plant (toss) a pass of its own (RFC 6265bis §4.1.3.2).
    /// </summary>
    public const string Name = "__Host-portcullis_pass";

    private const byte Version = 1;
    private const int MacLength = 32;
    private const int MaxSiteLength = 64;

    /// <summary>The cookie value for a pass valid until <paramref name="expires"/>.</summary>
    public string Create(string site, IPAddress? client, DateTimeOffset expires)
    {
        var seconds = expires.ToUnixTimeSeconds();
        Span<byte> mac = stackalloc byte[MacLength];
        Compute(site, client, seconds, mac);
        return string.Create(CultureInfo.InvariantCulture, $"{Version}.{seconds}.{Base64Url.EncodeToString(mac)}");
    }

    /// <summary>The Set-Cookie header value (RFC 6265 §4.1): HttpOnly so page scripts cannot read it, SameSite=Lax so other sites' subrequests do not carry it.</summary>
    public static string SetCookieHeader(string value, TimeSpan lifetime) =>
        string.Create(CultureInfo.InvariantCulture, $"{Name}={value}; Max-Age={(long)lifetime.TotalSeconds}; Path=/; Secure; HttpOnly; SameSite=Lax");

    /// <summary>Checks a cookie value. The MAC is checked first, so "expired" is only said of a genuine pass.</summary>
    public PassVerdict Verify(ReadOnlySpan<char> value, string site, IPAddress? client, DateTimeOffset now)
    {
        // "1." + up to 19 digits + "." + 43 base64url characters.
        if (value.Length > 80 || !value.StartsWith("1."))
        {
            return PassVerdict.Invalid;
        }
        var rest = value[2..];
        var dot = rest.IndexOf('.');
        if (dot <= 0 || !long.TryParse(rest[..dot], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return PassVerdict.Invalid;
        }
        Span<byte> given = stackalloc byte[MacLength];
        if (!Base64UrlField.TryDecodeExact(rest[(dot + 1)..], given))
        {
            return PassVerdict.Invalid;
        }
        Span<byte> expected = stackalloc byte[MacLength];
        if (!Compute(site, client, seconds, expected) || !CryptographicOperations.FixedTimeEquals(expected, given))
        {
            return PassVerdict.Invalid;
        }
        return seconds > now.ToUnixTimeSeconds() ? PassVerdict.Valid : PassVerdict.Expired;
    }

    /// <summary>Finds this cookie in the request's Cookie header(s) (HTTP/2 may send several, RFC 9113 §8.2.3).</summary>
    public static ReadOnlySpan<char> Find(Microsoft.Extensions.Primitives.StringValues cookieHeaders)
    {
        foreach (var header in cookieHeaders)
        {
            var span = header.AsSpan();
            while (!span.IsEmpty)
            {
                var end = span.IndexOf(';');
                var pair = (end < 0 ? span : span[..end]).Trim(' ');
                if (pair.StartsWith(Name, StringComparison.Ordinal) && pair.Length > Name.Length && pair[Name.Length] == '=')
                {
                    return pair[(Name.Length + 1)..];
                }
                span = end < 0 ? [] : span[(end + 1)..];
            }
        }
        return [];
    }

    private bool Compute(string site, IPAddress? client, long seconds, Span<byte> mac)
    {
        if (site.Length > MaxSiteLength)
        {
            return false;
        }
        Span<byte> message = stackalloc byte[1 + 8 + ClientKey.MaxBindingLength + MaxSiteLength * 3];
        message[0] = Version;
        BinaryPrimitives.WriteInt64BigEndian(message[1..], seconds);
        var length = 9 + ClientKey.WriteBinding(client, message[9..]);
        // Last, so its variable length cannot blur the fixed-size fields before it.
        length += Encoding.UTF8.GetBytes(site, message[length..]);
        ThreadHmac.Compute(key, message[..length], mac);
        return true;
    }
}

internal enum PassVerdict
{
    Valid,
    Expired,
    Invalid,
}
