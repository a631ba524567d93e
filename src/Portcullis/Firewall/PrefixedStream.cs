namespace Portcullis.Firewall;

/// <summary>A read-only stream that yields the bytes already read (held for inspection), then the rest of the original.</summary>
internal sealed class PrefixedStream(MemoryStream held, byte[] overflow, Stream rest) : Stream
{
    private int _overflowRead;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var fromHeld = ReadHeld(buffer.Span);
        return fromHeld > 0 ? fromHeld : await rest.ReadAsync(buffer, cancellationToken);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count)
    {
        var fromHeld = ReadHeld(buffer.AsSpan(offset, count));
        return fromHeld > 0 ? fromHeld : rest.Read(buffer, offset, count);
    }

    private int ReadHeld(Span<byte> destination)
    {
        var read = held.Read(destination);
        if (read > 0)
        {
            return read;
        }
        var count = Math.Min(destination.Length, overflow.Length - _overflowRead);
        overflow.AsSpan(_overflowRead, count).CopyTo(destination);
        _overflowRead += count;
        return count;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
