using System.Globalization;
using System.Text;

namespace Portcullis.Waf.BodyProcessors;

/// <summary>
/// The engine's "bytes, not text" rule (notes/waf.md §2): an inspected string holds one byte per char. Raw bytes map
/// through Latin-1; text a parser has already decoded to UTF-16 (JSON, XML) goes back to its UTF-8 bytes first, which
/// is what yajl and libxml2 hand to ModSecurity.
/// </summary>
internal static class ByteStrings
{
    public static string FromBytes(ReadOnlySpan<byte> bytes) => bytes.IsEmpty ? string.Empty : Encoding.Latin1.GetString(bytes);

    public static string FromText(string text) =>
        Ascii.IsValid(text) ? text : Encoding.Latin1.GetString(Encoding.UTF8.GetBytes(text));

    /// <summary>Non-printable bytes as <c>\xHH</c>, the way ModSecurity's log_escape_nq shows them in error messages.</summary>
    public static string Escape(ReadOnlySpan<byte> bytes) => Escape(FromBytes(bytes));

    /// <inheritdoc cref="Escape(ReadOnlySpan{byte})"/>
    public static string Escape(string bytes)
    {
        var output = new StringBuilder(bytes.Length + 8);
        foreach (var c in bytes)
        {
            if (c is >= ' ' and < '\x7F' && c != '\\')
            {
                output.Append(c);
            }
            else
            {
                output.Append("\\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
            }
        }
        return output.ToString();
    }
}
