namespace Portcullis.CrsTest;

/// <summary>
/// Go's <c>http.DetectContentType</c> (the WHATWG MIME sniffing algorithm), which Go's server applies when a handler
/// writes a body without a Content-Type, as albedo's <c>/reflect</c> does. It matters here because the WAF inspects a
/// response body only for listed types (CRS tests: <c>text/plain text/html text/xml application/json</c>): a reflected
/// <c>&lt;title&gt;...</c> must arrive as text/html just as it does from albedo. Covered: the HTML, XML, PDF,
/// PostScript and BOM text signatures, common image and archive formats, and the text-or-binary fallback; Go's
/// audio, video and font signatures are left out (they end as application/octet-stream here).
/// </summary>
internal static class GoContentSniffer
{
    private const string Html = "text/html; charset=utf-8";

    // Tags Go recognises at the start of a document (after whitespace), case-insensitively, when followed by
    // a space or '>'.
    private static readonly string[] HtmlTags =
    [
        "<!DOCTYPE HTML", "<HTML", "<HEAD", "<SCRIPT", "<IFRAME", "<H1", "<DIV", "<FONT", "<TABLE", "<A", "<STYLE",
        "<TITLE", "<B", "<BODY", "<BR", "<P", "<!--",
    ];

    private static readonly (byte[] Prefix, string Type)[] Exact =
    [
        ("%PDF-"u8.ToArray(), "application/pdf"),
        ("%!PS-Adobe-"u8.ToArray(), "application/postscript"),
        ([0xFE, 0xFF], "text/plain; charset=utf-16be"),
        ([0xFF, 0xFE], "text/plain; charset=utf-16le"),
        ([0xEF, 0xBB, 0xBF], "text/plain; charset=utf-8"),
        ([0x00, 0x00, 0x01, 0x00], "image/x-icon"),
        ([0x00, 0x00, 0x02, 0x00], "image/x-icon"),
        ("BM"u8.ToArray(), "image/bmp"),
        ("GIF87a"u8.ToArray(), "image/gif"),
        ("GIF89a"u8.ToArray(), "image/gif"),
        ([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A], "image/png"),
        ([0xFF, 0xD8, 0xFF], "image/jpeg"),
        ([0x1F, 0x8B, 0x08], "application/x-gzip"),
        ("PK\x03\x04"u8.ToArray(), "application/zip"),
        ("Rar!\x1A\x07\x00"u8.ToArray(), "application/x-rar-compressed"),
        ("Rar!\x1A\x07\x01\x00"u8.ToArray(), "application/x-rar-compressed"),
        ([0x00, 0x61, 0x73, 0x6D], "application/wasm"),
    ];

    public static string Detect(ReadOnlySpan<byte> data)
    {
        // Go looks at no more than the first 512 bytes.
        if (data.Length > 512)
        {
            data = data[..512];
        }
        var start = 0;
        while (start < data.Length && data[start] is (byte)'\t' or (byte)'\n' or 0x0C or (byte)'\r' or (byte)' ')
        {
            start++;
        }
        var text = data[start..];
        foreach (var tag in HtmlTags)
        {
            if (StartsWithTag(text, tag))
            {
                return Html;
            }
        }
        // Go matches "<?xml" case-sensitively (its mask keeps every bit).
        if (text.StartsWith("<?xml"u8))
        {
            return "text/xml; charset=utf-8";
        }
        foreach (var (prefix, type) in Exact)
        {
            if (data.StartsWith(prefix))
            {
                return type;
            }
        }
        if (data.Length >= 14 && data[..4].SequenceEqual("RIFF"u8) && data[8..14].SequenceEqual("WEBPVP"u8))
        {
            return "image/webp";
        }
        foreach (var b in data)
        {
            // mimesniff's binary data bytes.
            if (b is <= 0x08 or 0x0B or (>= 0x0E and <= 0x1A) or (>= 0x1C and <= 0x1F))
            {
                return "application/octet-stream";
            }
        }
        return "text/plain; charset=utf-8";
    }

    private static bool StartsWithTag(ReadOnlySpan<byte> text, string tag) =>
        StartsWithIgnoreCase(text, tag) && text.Length > tag.Length && text[tag.Length] is (byte)' ' or (byte)'>';

    private static bool StartsWithIgnoreCase(ReadOnlySpan<byte> text, string prefix)
    {
        if (text.Length < prefix.Length)
        {
            return false;
        }
        for (var i = 0; i < prefix.Length; i++)
        {
            var b = text[i];
            var upper = b is >= (byte)'a' and <= (byte)'z' ? (byte)(b - 0x20) : b;
            if (upper != prefix[i])
            {
                return false;
            }
        }
        return true;
    }
}
