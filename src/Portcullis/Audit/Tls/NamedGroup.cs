using System.Security.Cryptography;

namespace Portcullis.Audit.Tls;

/// <summary>
/// A key-exchange group (RFC 8446 §4.2.7, RFC 8422 §5.1.1, RFC 7919): its code point, IANA name, and strength in
/// RSA-equivalent bits, which is how SSL Labs compares an ephemeral key with the certificate key (notes/tls.md §1.1:
/// X25519/P-256 ≈ 3072, P-384 ≈ 7680).
/// </summary>
internal sealed record NamedGroup(ushort Code, string Name, int RsaEquivalentBits)
{
    public static readonly NamedGroup X25519 = new(0x001D, "x25519", 3072);
    public static readonly NamedGroup Secp256r1 = new(0x0017, "secp256r1", 3072);

    /// <summary>The groups probed one per connection, strongest-known first within each family.</summary>
    public static readonly IReadOnlyList<NamedGroup> All =
    [
        X25519,
        new(0x001E, "x448", 7680),
        Secp256r1,
        new(0x0018, "secp384r1", 7680),
        new(0x0019, "secp521r1", 15360),
        new(0x0015, "secp224r1", 2048),
        new(0x0013, "secp192r1", 1536),
        new(0x001A, "brainpoolP256r1", 3072),
        new(0x001B, "brainpoolP384r1", 7680),
        new(0x001C, "brainpoolP512r1", 15360),
        new(0x0100, "ffdhe2048", 2048),
        new(0x0101, "ffdhe3072", 3072),
        new(0x0102, "ffdhe4096", 4096),
        new(0x0103, "ffdhe6144", 6144),
        new(0x0104, "ffdhe8192", 8192),
    ];

    public bool IsFiniteField => Code is >= 0x0100 and <= 0x01FF;

    public static NamedGroup? Find(ushort code) => All.FirstOrDefault(g => g.Code == code);

    /// <summary>
    /// A public key for the TLS 1.3 key_share (RFC 8446 §4.2.8). Nothing is ever decrypted, but a server validates
    /// the share before it answers, so EC groups get a real point (§4.2.8.2) and finite-field groups the value 4
    /// (a square, so it passes the subgroup check of §4.2.8.1); X25519/X448 accept any bytes.
    /// </summary>
    public byte[] CreateKeyShare()
    {
        switch (Code)
        {
            case 0x001D:
                return RandomNumberGenerator.GetBytes(32);
            case 0x001E:
                return RandomNumberGenerator.GetBytes(56);
        }
        if (IsFiniteField)
        {
            var share = new byte[RsaEquivalentBits / 8];
            share[^1] = 4;
            return share;
        }
        var curve = Name switch
        {
            "secp256r1" => ECCurve.NamedCurves.nistP256,
            "secp384r1" => ECCurve.NamedCurves.nistP384,
            "secp521r1" => ECCurve.NamedCurves.nistP521,
            "brainpoolP256r1" => ECCurve.NamedCurves.brainpoolP256r1,
            "brainpoolP384r1" => ECCurve.NamedCurves.brainpoolP384r1,
            "brainpoolP512r1" => ECCurve.NamedCurves.brainpoolP512r1,
            _ => ECCurve.CreateFromFriendlyName(Name),
        };
        using var key = ECDiffieHellman.Create(curve);
        var point = key.ExportParameters(includePrivateParameters: false).Q;
        // Uncompressed point: 0x04 || X || Y (RFC 8446 §4.2.8.2).
        return [0x04, .. point.X!, .. point.Y!];
    }
}
