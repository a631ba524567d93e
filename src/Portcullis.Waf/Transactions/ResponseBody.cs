using System.Text;
using Portcullis.Waf.Rules;

namespace Portcullis.Waf.Transactions;

/// <summary>The buffered response body for phase 4, bounded by SecResponseBodyLimit (the rest is not inspected).</summary>
internal sealed class ResponseBody(EngineSettings settings)
{
    private MemoryStream? _buffer;

    public bool OverLimit { get; private set; }

    public bool Append(ReadOnlySpan<byte> chunk)
    {
        _buffer ??= new MemoryStream();
        var room = settings.ResponseBodyLimit - _buffer.Length;
        if (chunk.Length > room)
        {
            OverLimit = true;
            _buffer.Write(chunk[..(int)Math.Max(0, room)]);
            return false;
        }
        _buffer.Write(chunk);
        return true;
    }

    public string Text => _buffer is null ? "" : Encoding.Latin1.GetString(_buffer.GetBuffer(), 0, (int)_buffer.Length);

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
