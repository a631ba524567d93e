using System.Buffers.Text;

namespace Portcullis.Challenge;

/// <summary>Decoding of base64url fields from cookies and forms, which are attacker-controlled: never throws.</summary>
internal static class Base64UrlField
{
    /// <summary>
    /// Decodes <paramref name="text"/> into exactly <paramref name="destination"/>'s length; false for anything else.
    /// (Base64Url.TryDecodeFromChars returns false only for a short destination and throws on malformed text.)
    /// </summary>
    public static bool TryDecodeExact(ReadOnlySpan<char> text, Span<byte> destination)
    {
        if (Base64Url.GetMaxDecodedLength(text.Length) > destination.Length + 2 || !Base64Url.IsValid(text, out var length) || length != destination.Length)
        {
            return false;
        }
        try
        {
            return Base64Url.TryDecodeFromChars(text, destination, out var written) && written == destination.Length;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
