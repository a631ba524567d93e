using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Portcullis.Acme.Protocol;

/// <summary>Builds the signed request bodies of RFC 8555 §6.2.</summary>
internal static class AcmeJws
{
    /// <summary>
    /// Signs <paramref name="payload"/> for <paramref name="url"/> with the account key. Before the account exists the
    /// header carries the public key ("jwk"); afterwards the account URL ("kid"), never both (RFC 8555 §6.2).
    /// An empty payload is a POST-as-GET (§6.3): the payload is the empty string, not "{}".
    /// </summary>
    public static JwsObject Sign(AcmeAccountKey key, Uri url, string nonce, string? kid, ReadOnlySpan<byte> payload)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("alg", "ES256");
            if (kid is null)
            {
                writer.WritePropertyName("jwk");
                writer.WriteRawValue(key.JwkJson, skipInputValidation: true);
            }
            else
            {
                writer.WriteString("kid", kid);
            }
            writer.WriteString("nonce", nonce);
            writer.WriteString("url", url.AbsoluteUri);
            writer.WriteEndObject();
        }
        var protectedPart = Base64Url.EncodeToString(buffer.WrittenSpan);
        var payloadPart = Base64Url.EncodeToString(payload);
        var signature = key.Sign(SigningInput(protectedPart, payloadPart));
        return new JwsObject(protectedPart, payloadPart, Base64Url.EncodeToString(signature));
    }

    /// <summary>
    /// The external account binding of RFC 8555 §7.3.4: a JWS over the account's public JWK, MACed with the key the
    /// CA handed out (HS256), whose protected header names the CA's key id and the newAccount URL and has no nonce.
    /// </summary>
    public static JwsObject SignExternalAccountBinding(ExternalAccountBinding binding, AcmeAccountKey key, Uri newAccountUrl)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("alg", "HS256");
            writer.WriteString("kid", binding.KeyId);
            writer.WriteString("url", newAccountUrl.AbsoluteUri);
            writer.WriteEndObject();
        }
        var protectedPart = Base64Url.EncodeToString(buffer.WrittenSpan);
        var payloadPart = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(key.JwkJson));
        var mac = HMACSHA256.HashData(binding.DecodeMacKey(), SigningInput(protectedPart, payloadPart));
        return new JwsObject(protectedPart, payloadPart, Base64Url.EncodeToString(mac));
    }

    /// <summary>ASCII(BASE64URL(header) || '.' || BASE64URL(payload)), RFC 7515 §5.1 step 5.</summary>
    public static byte[] SigningInput(string protectedPart, string payloadPart) =>
        Encoding.ASCII.GetBytes(protectedPart + "." + payloadPart);
}
