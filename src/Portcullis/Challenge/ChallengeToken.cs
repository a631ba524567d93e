using System.Buffers.Binary;
using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace Portcullis.Challenge;

/// <summary>
/// The server-issued challenge: <c>base64url(payload) "." base64url(HMAC-SHA256)</c> with payload = version (1 byte),
/// a random id (16), the expiry in unix seconds (8, big-endian) and the difficulty (1). The MAC also covers the client
/// (<see cref="ClientKey"/>) and the site, so a token solved by one client, or for one site, is worthless elsewhere.
/// The server keeps nothing per issued token; only solved ids are remembered (<see cref="SolutionReplayCache"/>).
/// </summary>
internal sealed class ChallengeToken(byte[] key)
{
    /// <summary>How long a browser has to solve and submit; long enough for a slow phone at a high difficulty.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    private const byte Version = 1;
    private const int PayloadLength = 1 + 16 + 8 + 1;
    private const int MacLength = 32;
    private const int MaxSiteLength = 64;

    /// <summary>Longest token text: both parts base64url without padding.</summary>
    public const int MaxLength = (PayloadLength * 4 + 2) / 3 + 1 + (MacLength * 4 + 2) / 3;

    public string Issue(string site, IPAddress? client, int difficulty, DateTimeOffset now)
    {
        Span<byte> payload = stackalloc byte[PayloadLength];
        payload[0] = Version;
        RandomNumberGenerator.Fill(payload.Slice(1, 16));
        BinaryPrimitives.WriteInt64BigEndian(payload[17..], (now + Lifetime).ToUnixTimeSeconds());
        payload[25] = (byte)difficulty;
        Span<byte> mac = stackalloc byte[MacLength];
        Compute(payload, site, client, mac);
        return Base64Url.EncodeToString(payload) + "." + Base64Url.EncodeToString(mac);
    }

    /// <summary>Checks a token's form, MAC and expiry; on success returns what it says.</summary>
    public TokenCheck Verify(string token, string site, IPAddress? client, DateTimeOffset now, out IssuedChallenge challenge)
    {
        challenge = default;
        if (token.Length > MaxLength || token.IndexOf('.', StringComparison.Ordinal) is var dot && dot < 0)
        {
            return TokenCheck.Malformed;
        }
        Span<byte> payload = stackalloc byte[PayloadLength];
        Span<byte> given = stackalloc byte[MacLength];
        if (!Base64UrlField.TryDecodeExact(token.AsSpan(0, dot), payload) || !Base64UrlField.TryDecodeExact(token.AsSpan(dot + 1), given) || payload[0] != Version)
        {
            return TokenCheck.Malformed;
        }
        Span<byte> expected = stackalloc byte[MacLength];
        if (!Compute(payload, site, client, expected) || !CryptographicOperations.FixedTimeEquals(expected, given))
        {
            return TokenCheck.BadMac;
        }
        var expires = DateTimeOffset.FromUnixTimeSeconds(BinaryPrimitives.ReadInt64BigEndian(payload[17..]));
        challenge = new IssuedChallenge(BinaryPrimitives.ReadUInt128BigEndian(payload[1..]), expires, payload[25]);
        return expires > now ? TokenCheck.Valid : TokenCheck.Expired;
    }

    private bool Compute(ReadOnlySpan<byte> payload, string site, IPAddress? client, Span<byte> mac)
    {
        if (site.Length > MaxSiteLength)
        {
            return false;
        }
        Span<byte> message = stackalloc byte[PayloadLength + ClientKey.MaxBindingLength + MaxSiteLength * 3];
        payload.CopyTo(message);
        var length = PayloadLength + ClientKey.WriteBinding(client, message[PayloadLength..]);
        length += Encoding.UTF8.GetBytes(site, message[length..]);
        ThreadHmac.Compute(key, message[..length], mac);
        return true;
    }
}

/// <summary>What a genuine token says: its id (for single use), when it expires and how hard it is.</summary>
internal readonly record struct IssuedChallenge(UInt128 Id, DateTimeOffset Expires, int Difficulty)
{
    public DateTimeOffset Issued => Expires - ChallengeToken.Lifetime;
}

internal enum TokenCheck
{
    Valid,
    Expired,
    Malformed,

    /// <summary>Forged, altered, or issued to another client or site: the MAC cannot tell which, and need not.</summary>
    BadMac,
}
