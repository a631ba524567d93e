using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Portcullis.Acme.Protocol;

namespace Portcullis.Tests.Acme;

public sealed class AcmeJwsTests
{
    private static readonly Uri Url = new("https://ca.example/acme/new-order");

    [Fact]
    public void Sign_NoAccountYet_HeaderCarriesJwkAndSignatureVerifiesAsRawRS()
    {
        using var key = AcmeAccountKey.CreateEphemeral();
        var payload = "{\"identifiers\":[]}"u8.ToArray();

        var jws = AcmeJws.Sign(key, Url, "nonce-1", kid: null, payload);

        using var header = JsonDocument.Parse(Base64Url.DecodeFromChars(jws.Protected));
        var root = header.RootElement;
        Assert.Equal("ES256", root.GetProperty("alg").GetString());
        Assert.Equal("nonce-1", root.GetProperty("nonce").GetString());
        Assert.Equal(Url.AbsoluteUri, root.GetProperty("url").GetString());
        Assert.False(root.TryGetProperty("kid", out _));
        var jwk = root.GetProperty("jwk");
        Assert.Equal("EC", jwk.GetProperty("kty").GetString());
        Assert.Equal("P-256", jwk.GetProperty("crv").GetString());
        Assert.Equal(payload, Base64Url.DecodeFromChars(jws.Payload));

        // Verify with a key rebuilt from the JWK alone: R || S, 64 bytes (RFC 7518 §3.4), not DER.
        var signature = Base64Url.DecodeFromChars(jws.Signature);
        Assert.Equal(64, signature.Length);
        using var verifier = FromJwk(jwk);
        var input = Encoding.ASCII.GetBytes(jws.Protected + "." + jws.Payload);
        Assert.True(verifier.VerifyData(input, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
        var tampered = Encoding.ASCII.GetBytes(jws.Protected + "." + Base64Url.EncodeToString("{}"u8));
        Assert.False(verifier.VerifyData(tampered, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
    }

    [Fact]
    public void Sign_WithAccount_HeaderCarriesKidNotJwk_AndPostAsGetPayloadIsEmpty()
    {
        using var key = AcmeAccountKey.CreateEphemeral();

        var jws = AcmeJws.Sign(key, Url, "n", kid: "https://ca.example/acct/7", []);

        using var header = JsonDocument.Parse(Base64Url.DecodeFromChars(jws.Protected));
        Assert.Equal("https://ca.example/acct/7", header.RootElement.GetProperty("kid").GetString());
        Assert.False(header.RootElement.TryGetProperty("jwk", out _));
        Assert.Equal("", jws.Payload);
    }

    [Fact]
    public void SignExternalAccountBinding_MacKey_HeaderAndHmacMatchRfc8555()
    {
        using var key = AcmeAccountKey.CreateEphemeral();
        var mac = RandomNumberGenerator.GetBytes(32);
        var binding = new ExternalAccountBinding("kid-9", Base64Url.EncodeToString(mac));
        var newAccount = new Uri("https://ca.example/acme/new-account");

        var jws = AcmeJws.SignExternalAccountBinding(binding, key, newAccount);

        using var header = JsonDocument.Parse(Base64Url.DecodeFromChars(jws.Protected));
        Assert.Equal("HS256", header.RootElement.GetProperty("alg").GetString());
        Assert.Equal("kid-9", header.RootElement.GetProperty("kid").GetString());
        Assert.Equal(newAccount.AbsoluteUri, header.RootElement.GetProperty("url").GetString());
        Assert.False(header.RootElement.TryGetProperty("nonce", out _));
        Assert.Equal(key.JwkJson, Encoding.UTF8.GetString(Base64Url.DecodeFromChars(jws.Payload)));
        var expected = HMACSHA256.HashData(mac, Encoding.ASCII.GetBytes(jws.Protected + "." + jws.Payload));
        Assert.Equal(expected, Base64Url.DecodeFromChars(jws.Signature));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not base64url!")]
    public void DecodeMacKey_NotBase64Url_Throws(string macKey) =>
        Assert.Throws<ArgumentException>(() => new ExternalAccountBinding("kid", macKey).DecodeMacKey());

    [Fact]
    public void DecodeMacKey_PaddedKey_Accepted() =>
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, new ExternalAccountBinding("kid", "AQIDBA==").DecodeMacKey());

    private static ECDsa FromJwk(JsonElement jwk) => ECDsa.Create(new ECParameters
    {
        Curve = ECCurve.NamedCurves.nistP256,
        Q = new ECPoint
        {
            X = Base64Url.DecodeFromChars(jwk.GetProperty("x").GetString()),
            Y = Base64Url.DecodeFromChars(jwk.GetProperty("y").GetString()),
        },
    });
}
