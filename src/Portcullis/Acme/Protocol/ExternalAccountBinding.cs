using System.Buffers.Text;

namespace Portcullis.Acme.Protocol;

/// <summary>
/// Credentials a CA hands out to tie a new ACME account to an existing customer account (RFC 8555 §7.3.4): a key id
/// and an HMAC key, which CAs publish base64url-encoded (padding is tolerated).
/// </summary>
internal sealed record ExternalAccountBinding(string KeyId, string MacKeyBase64Url)
{
    public byte[] DecodeMacKey()
    {
        var text = MacKeyBase64Url.Trim().TrimEnd('=');
        if (text.Length == 0 || !Base64Url.IsValid(text, out _))
        {
            throw new ArgumentException($"the external account binding HMAC key for key id '{KeyId}' is not base64url");
        }
        return Base64Url.DecodeFromChars(text);
    }
}
