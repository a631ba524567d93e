using System.Text;

namespace Portcullis.CorpusReplay;

/// <summary>
/// The corpus README's <c>encode</c> rules over the payload's UTF-8 bytes. <c>full</c>: every byte except the
/// RFC 3986 unreserved characters becomes <c>%XX</c>. <c>keep_pct</c>: the same, but <c>%</c> stays, so the payload's
/// intentional <c>%XX</c>/<c>%uXXXX</c> sequences reach the server as written (the mgm/open-appsec nuclei
/// templates' <c>replace(urlencode(x), "%25", "%")</c>). The path placement also keeps <c>/</c>.
/// </summary>
internal static class PercentEncoder
{
    public static string Encode(string payload, string? mode, bool keepSlash = false)
    {
        var keepPercent = mode switch
        {
            null or "full" => false,
            "keep_pct" => true,
            _ => throw new InvalidDataException($"unknown encode '{mode}'"),
        };
        var bytes = Encoding.UTF8.GetBytes(payload);
        var text = new StringBuilder(bytes.Length * 3);
        foreach (var b in bytes)
        {
            if (IsUnreserved(b) || (keepPercent && b == '%') || (keepSlash && b == '/'))
            {
                text.Append((char)b);
            }
            else
            {
                text.Append('%').Append(Hex[b >> 4]).Append(Hex[b & 0xF]);
            }
        }

        return text.ToString();
    }

    private const string Hex = "0123456789ABCDEF";

    // RFC 3986 §2.3: ALPHA / DIGIT / "-" / "." / "_" / "~".
    private static bool IsUnreserved(byte b) =>
        b is (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'a' and <= (byte)'z') or (>= (byte)'0' and <= (byte)'9')
            or (byte)'-' or (byte)'.' or (byte)'_' or (byte)'~';
}
