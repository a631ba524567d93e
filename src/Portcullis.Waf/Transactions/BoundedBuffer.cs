namespace Portcullis.Waf.Transactions;

/// <summary>
/// A body held for inspection up to a limit (SecRequestBodyLimit, SecResponseBodyLimit): what fits is kept, and the
/// first chunk that does not fit is cut at the limit and marks the buffer as over it.
/// </summary>
internal sealed class BoundedBuffer(long limit)
{
    private MemoryStream? _buffer;

    public bool OverLimit { get; private set; }

    public long Length => _buffer?.Length ?? 0;

    public ReadOnlyMemory<byte> Bytes => _buffer is null ? ReadOnlyMemory<byte>.Empty : _buffer.GetBuffer().AsMemory(0, (int)_buffer.Length);

    /// <summary>Keeps what fits; false once something did not. <paramref name="expectedLength"/> sizes the buffer once.</summary>
    public bool Append(ReadOnlySpan<byte> chunk, long? expectedLength = null)
    {
        // Sized once (from Content-Length when known) so a large body is not copied through doubling buffers.
        _buffer ??= new MemoryStream((int)Math.Clamp(expectedLength ?? 0, 0, limit));
        var room = limit - _buffer.Length;
        if (chunk.Length > room)
        {
            OverLimit = true;
            _buffer.Write(chunk[..(int)Math.Max(0, room)]);
            return false;
        }
        _buffer.Write(chunk);
        return true;
    }
}
