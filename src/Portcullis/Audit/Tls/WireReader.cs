namespace Portcullis.Audit.Tls;

/// <summary>
/// Reads big-endian TLS fields from a message body; every read is bounds-checked and a short or overlong field
/// throws <see cref="FormatException"/>, which the reply reader turns into a Garbage reply: a hostile length never
/// makes the prober read outside the bytes it has.
/// </summary>
internal ref struct WireReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _position;

    public WireReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _position = 0;
    }

    public readonly int Remaining => _data.Length - _position;

    public byte U8() => Take(1)[0];

    public ushort U16()
    {
        var b = Take(2);
        return (ushort)((b[0] << 8) | b[1]);
    }

    public int U24()
    {
        var b = Take(3);
        return (b[0] << 16) | (b[1] << 8) | b[2];
    }

    public ReadOnlySpan<byte> Take(int count)
    {
        if (count < 0 || count > Remaining)
        {
            throw new FormatException($"field of {count} bytes at offset {_position} runs past the {_data.Length}-byte message");
        }
        var slice = _data.Slice(_position, count);
        _position += count;
        return slice;
    }

    /// <summary>A vector with a 1-, 2- or 3-byte length prefix (RFC 8446 §3.4).</summary>
    public ReadOnlySpan<byte> Vector(int lengthBytes) => Take(lengthBytes switch
    {
        1 => U8(),
        2 => U16(),
        3 => U24(),
        _ => throw new ArgumentOutOfRangeException(nameof(lengthBytes)),
    });
}
