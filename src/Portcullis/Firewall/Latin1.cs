using System.Text;

namespace Portcullis.Firewall;

/// <summary>
/// The engine inspects bytes (one char per byte). Kestrel hands over header values decoded as Latin-1 (configured in
/// the host), which already is that; the request target is decoded as UTF-8 when it holds non-ASCII bytes, so it is
/// turned back into its bytes here.
/// </summary>
internal static class Latin1
{
    public static string FromUtf8Decoded(string text)
    {
        foreach (var c in text)
        {
            if (c > 0x7F)
            {
                return Encoding.Latin1.GetString(Encoding.UTF8.GetBytes(text));
            }
        }
        return text;
    }
}
