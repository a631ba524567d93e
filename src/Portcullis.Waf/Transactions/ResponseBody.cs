using System.Text;
using Portcullis.Waf.Rules;

namespace Portcullis.Waf.Transactions;

/// <summary>The buffered response body for phase 4, bounded by SecResponseBodyLimit (the rest is not inspected).</summary>
internal sealed class ResponseBody(EngineSettings settings)
{
    private readonly BoundedBuffer _buffer = new(settings.ResponseBodyLimit);

    public bool OverLimit => _buffer.OverLimit;

    public bool Append(ReadOnlySpan<byte> chunk) => _buffer.Append(chunk);

    public string Text => Encoding.Latin1.GetString(_buffer.Bytes.Span);

    /// <summary>Whether a response of this Content-Type is inspected: its media type (before ';') is in the list.</summary>
    public static bool IsInspectable(string? contentType, IReadOnlyList<string> mimeTypes)
    {
        if (string.IsNullOrEmpty(contentType))
        {
            return false;
        }
        var semicolon = contentType.IndexOf(';');
        var media = (semicolon < 0 ? contentType : contentType[..semicolon]).Trim();
        foreach (var type in mimeTypes)
        {
            if (string.Equals(type, media, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }
}
