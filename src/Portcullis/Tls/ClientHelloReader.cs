using System.Buffers;
using System.Buffers.Binary;

namespace Portcullis.Tls;

/// <summary>
/// Reads the ALPN protocol names out of a TLS ClientHello (RFC 8446 §4.1.2, RFC 7301 §3.1) without consuming it,
/// because .NET's handshake callback tells the server the SNI name but not the ALPN offer, and the TLS-ALPN-01
/// challenge (RFC 8737 §3) must answer a client that offers <c>acme-tls/1</c> with the challenge certificate.
/// Handles a ClientHello split over several records; anything that is not a well-formed ClientHello is
/// <see cref="ClientHelloStatus.NotClientHello"/> and left for the TLS stack to refuse.
/// </summary>
internal static class ClientHelloReader
{
    /// <summary>A ClientHello larger than this (records included) is not inspected; real ones are under 2 KB (16 KB is the record limit).</summary>
    public const int MaxBytes = 16 * 1024 + 5;

    private const byte HandshakeRecord = 22;
    private const byte ClientHelloType = 1;
    private const ushort AlpnExtension = 16;

    public static ClientHelloStatus TryRead(ReadOnlySequence<byte> input, out IReadOnlyList<string> protocols)
    {
        protocols = [];
        if (input.IsSingleSegment)
        {
            return TryRead(input.FirstSpan, out protocols);
        }
        // Walk the record headers first, without copying, so a client that trickles its hello costs no copies
        // until the whole message is there; then parse a copy of exactly those records.
        var status = CompleteLength(input, out var length);
        return status != ClientHelloStatus.Complete ? status : TryRead(input.Slice(0, length).ToArray(), out protocols);
    }

    /// <summary>How many bytes the records holding the whole ClientHello take, once they have all arrived.</summary>
    private static ClientHelloStatus CompleteLength(ReadOnlySequence<byte> input, out long length)
    {
        length = 0;
        Span<byte> header = stackalloc byte[9];
        long offset = 0;
        long collected = 0;
        long? needed = null;
        while (needed is null || collected < needed)
        {
            if (input.Length - offset < 5)
            {
                return input.Length >= MaxBytes ? ClientHelloStatus.NotClientHello : ClientHelloStatus.NeedMore;
            }
            var available = (int)Math.Min(needed is null ? 9 : 5, input.Length - offset);
            input.Slice(offset, available).CopyTo(header);
            if (header[0] != HandshakeRecord || header[1] != 3)
            {
                return ClientHelloStatus.NotClientHello;
            }
            var recordLength = BinaryPrimitives.ReadUInt16BigEndian(header[3..]);
            if (recordLength == 0 || recordLength > 16384 + 256)
            {
                return ClientHelloStatus.NotClientHello;
            }
            if (needed is null)
            {
                // The handshake header (type + 24-bit length) opens the first record; real clients never split it across records.
                if (available < 9 || recordLength < 4)
                {
                    return available < 9 ? ClientHelloStatus.NeedMore : ClientHelloStatus.NotClientHello;
                }
                if (header[5] != ClientHelloType)
                {
                    return ClientHelloStatus.NotClientHello;
                }
                needed = 4 + (header[6] << 16 | header[7] << 8 | header[8]);
                if (needed > MaxBytes)
                {
                    return ClientHelloStatus.NotClientHello;
                }
            }
            offset += 5 + recordLength;
            collected += recordLength;
            if (offset > input.Length)
            {
                return offset > MaxBytes ? ClientHelloStatus.NotClientHello : ClientHelloStatus.NeedMore;
            }
        }
        length = offset;
        return ClientHelloStatus.Complete;
    }

    public static ClientHelloStatus TryRead(ReadOnlySpan<byte> input, out IReadOnlyList<string> protocols)
    {
        protocols = [];
        // Reassemble the handshake message from consecutive handshake records.
        var message = new ArrayBufferWriter<byte>(512);
        var offset = 0;
        int? needed = null;
        while (needed is null || message.WrittenCount < needed)
        {
            if (input.Length - offset < 5)
            {
                return input.Length >= MaxBytes ? ClientHelloStatus.NotClientHello : ClientHelloStatus.NeedMore;
            }
            if (input[offset] != HandshakeRecord || input[offset + 1] != 3)
            {
                return ClientHelloStatus.NotClientHello;
            }
            var length = BinaryPrimitives.ReadUInt16BigEndian(input[(offset + 3)..]);
            if (length == 0 || length > 16384 + 256)
            {
                return ClientHelloStatus.NotClientHello;
            }
            if (input.Length - offset - 5 < length)
            {
                return input.Length >= MaxBytes ? ClientHelloStatus.NotClientHello : ClientHelloStatus.NeedMore;
            }
            message.Write(input.Slice(offset + 5, length));
            offset += 5 + length;
            if (needed is null && message.WrittenCount >= 4)
            {
                var head = message.WrittenSpan;
                if (head[0] != ClientHelloType)
                {
                    return ClientHelloStatus.NotClientHello;
                }
                needed = 4 + (head[1] << 16 | head[2] << 8 | head[3]);
                if (needed > MaxBytes)
                {
                    return ClientHelloStatus.NotClientHello;
                }
            }
        }
        return ParseBody(message.WrittenSpan[4..needed!.Value], out protocols) ? ClientHelloStatus.Complete : ClientHelloStatus.NotClientHello;
    }

    private static bool ParseBody(ReadOnlySpan<byte> body, out IReadOnlyList<string> protocols)
    {
        protocols = [];
        var reader = new SpanCursor(body);
        // legacy_version, random, legacy_session_id, cipher_suites, legacy_compression_methods
        if (!reader.Skip(2 + 32) || !reader.SkipVector(1) || !reader.SkipVector(2) || !reader.SkipVector(1))
        {
            return false;
        }
        if (reader.Remaining == 0)
        {
            return true; // no extensions at all (SSL 3.0-era hello)
        }
        if (!reader.ReadVector(2, out var extensions))
        {
            return false;
        }
        var ext = new SpanCursor(extensions);
        while (ext.Remaining > 0)
        {
            if (!ext.ReadUInt16(out var type) || !ext.ReadVector(2, out var data))
            {
                return false;
            }
            if (type == AlpnExtension)
            {
                return ReadProtocolNames(data, out protocols);
            }
        }
        return true;
    }

    private static bool ReadProtocolNames(ReadOnlySpan<byte> data, out IReadOnlyList<string> protocols)
    {
        protocols = [];
        var outer = new SpanCursor(data);
        if (!outer.ReadVector(2, out var list))
        {
            return false;
        }
        var names = new List<string>();
        var cursor = new SpanCursor(list);
        while (cursor.Remaining > 0)
        {
            if (!cursor.ReadVector(1, out var name) || name.IsEmpty)
            {
                return false;
            }
            names.Add(System.Text.Encoding.Latin1.GetString(name));
        }
        protocols = names;
        return true;
    }

    /// <summary>Bounds-checked reading of TLS's length-prefixed vectors.</summary>
    private ref struct SpanCursor(ReadOnlySpan<byte> data)
    {
        private ReadOnlySpan<byte> _data = data;

        public readonly int Remaining => _data.Length;

        public bool Skip(int count)
        {
            if (_data.Length < count)
            {
                return false;
            }
            _data = _data[count..];
            return true;
        }

        public bool ReadUInt16(out ushort value)
        {
            value = 0;
            if (_data.Length < 2)
            {
                return false;
            }
            value = BinaryPrimitives.ReadUInt16BigEndian(_data);
            _data = _data[2..];
            return true;
        }

        public bool ReadVector(int lengthBytes, out ReadOnlySpan<byte> vector)
        {
            vector = default;
            if (_data.Length < lengthBytes)
            {
                return false;
            }
            var length = lengthBytes == 1 ? _data[0] : BinaryPrimitives.ReadUInt16BigEndian(_data);
            if (_data.Length - lengthBytes < length)
            {
                return false;
            }
            vector = _data.Slice(lengthBytes, length);
            _data = _data[(lengthBytes + length)..];
            return true;
        }

        public bool SkipVector(int lengthBytes) => ReadVector(lengthBytes, out _);
    }
}

internal enum ClientHelloStatus
{
    Complete,
    NeedMore,
    NotClientHello,
}
