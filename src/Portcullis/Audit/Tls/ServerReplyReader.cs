using System.Buffers;
using System.Globalization;
using System.Numerics;
using System.Text;

namespace Portcullis.Audit.Tls;

/// <summary>
/// Reads and classifies a server's answer to a ClientHello, treating every byte as hostile: record lengths are
/// checked against RFC 8446 §5.1, the total read is capped at <see cref="MaxBytes"/>, and a malformed message becomes
/// a <see cref="ReplyKind.Garbage"/> reply instead of an exception.
/// </summary>
internal static class ServerReplyReader
{
    /// <summary>Enough for a ServerHello flight with a long certificate chain; a server sending more is not answering a probe.</summary>
    public const int MaxBytes = 256 * 1024;

    /// <summary>A record may carry 2^14 bytes plus expansion (RFC 5246 §6.2.3: 2^14 + 2048).</summary>
    private const int MaxRecordLength = 16384 + 2048;

    /// <summary>SHA-256("HelloRetryRequest"): the random of a HelloRetryRequest (RFC 8446 §4.1.3).</summary>
    private static readonly byte[] HelloRetryRandom = Convert.FromHexString("CF21AD74E59A6111BE1D8C021E65B891C2A211167ABB8C5E079E09E2C8A8339C");

    /// <summary>"DOWNGRD": the first 7 of the last 8 random bytes of a TLS 1.3 server answering an older hello (RFC 8446 §4.1.3).</summary>
    private static readonly byte[] DowngradePrefix = "DOWNGRD"u8.ToArray();

    /// <summary>
    /// Reads until the answer is classified: for TLS ≤ 1.2 with <paramref name="readFlight"/> through ServerHelloDone
    /// (certificate, key exchange, OCSP status), otherwise just the ServerHello. Cancellation is the caller's timeout.
    /// </summary>
    public static async Task<ServerReply> ReadAsync(Stream stream, bool readFlight, CancellationToken ct)
    {
        var input = new BoundedInput(stream);
        try
        {
            return await ReadCoreAsync(input, readFlight, ct).ConfigureAwait(false);
        }
        catch (FormatException e)
        {
            return new ServerReply(ReplyKind.Garbage, "malformed TLS message: " + e.Message);
        }
    }

    private static async Task<ServerReply> ReadCoreAsync(BoundedInput input, bool readFlight, CancellationToken ct)
    {
        var header = new byte[5];
        var got = await input.ReadAsync(header, ct).ConfigureAwait(false);
        if (got == 0)
        {
            return new ServerReply(ReplyKind.Closed, "connection closed without an answer");
        }
        if (got >= 3 && (header[0] & 0x80) != 0 && header[2] == 0x04)
        {
            return await ReadSsl2Async(input, header, got, ct).ConfigureAwait(false);
        }
        if (got < 5)
        {
            return new ServerReply(ReplyKind.Garbage, $"{got} bytes that are not a TLS record: {Preview(header.AsSpan(0, got))}");
        }
        if (!IsRecordHeader(header))
        {
            // Read a little more so the finding can quote it ("HTTP/1.1 400 ..."), but do not wait for a peer that stopped.
            var more = new byte[59];
            var extra = 0;
            using (var brief = CancellationTokenSource.CreateLinkedTokenSource(ct))
            {
                brief.CancelAfter(TimeSpan.FromMilliseconds(200));
                try
                {
                    extra = await input.ReadSomeAsync(more, brief.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    // Nothing more came: quote the five bytes we have.
                }
            }
            return new ServerReply(ReplyKind.Garbage, "not TLS: " + Preview([.. header, .. more.AsSpan(0, extra)]));
        }

        var handshake = new ArrayBufferWriter<byte>();
        ServerReply? hello = null;
        List<byte[]> certificates = [];
        int? dhBits = null;
        ushort? ecdheGroup = null;
        var stapled = false;
        while (true)
        {
            var type = header[0];
            var length = (header[3] << 8) | header[4];
            var fragment = new byte[length];
            if (await input.ReadAsync(fragment, ct).ConfigureAwait(false) < length)
            {
                return Finish("connection closed in the middle of a record");
            }
            switch (type)
            {
                case 0x15:
                    if (hello is not null)
                    {
                        return Finish("alert after the ServerHello");
                    }
                    if (length < 2)
                    {
                        return new ServerReply(ReplyKind.Garbage, "alert record shorter than 2 bytes");
                    }
                    return new ServerReply(ReplyKind.Alert, AlertNames.Describe(fragment[1])) { AlertLevel = fragment[0], AlertDescription = fragment[1] };
                case 0x16:
                    handshake.Write(fragment);
                    break;
                default:
                    // ChangeCipherSpec or encrypted data: nothing plaintext follows (TLS 1.3 or resumption).
                    return hello is not null ? Finish("") : new ServerReply(ReplyKind.Garbage, $"record type {type} before any ServerHello");
            }

            // Handshake messages may span records and one record may hold several (RFC 5246 §6.2.1).
            var consumed = 0;
            var done = false;
            while (TryTakeMessage(handshake.WrittenSpan[consumed..], out var msgType, out var body, out var size))
            {
                consumed += size;
                if (hello is null)
                {
                    if (msgType != 0x02)
                    {
                        return new ServerReply(ReplyKind.Garbage, $"handshake message {msgType} where a ServerHello was expected");
                    }
                    hello = ParseServerHello(body);
                    if (hello.Kind == ReplyKind.HelloRetryRequest || hello.Version == TlsVersion.Tls13 || !readFlight)
                    {
                        return hello;
                    }
                    continue;
                }
                switch (msgType)
                {
                    case 0x0B:
                        certificates = ParseCertificates(body);
                        break;
                    case 0x0C:
                        ParseKeyExchange(body, hello.Suite ?? 0, ref dhBits, ref ecdheGroup);
                        break;
                    case 0x16:
                        stapled = body.Length > 4 && body[0] == 1;
                        break;
                    case 0x0E:
                        done = true;
                        break;
                }
            }
            if (done)
            {
                return Finish("");
            }
            var rest = handshake.WrittenSpan[consumed..].ToArray();
            handshake.Clear();
            handshake.Write(rest);
            if (rest.Length > MaxBytes / 2)
            {
                return Finish("handshake message too long");
            }

            got = await input.ReadAsync(header, ct).ConfigureAwait(false);
            if (got < 5)
            {
                return hello is not null ? Finish("connection closed before ServerHelloDone") : new ServerReply(ReplyKind.Closed, "connection closed in the middle of the handshake");
            }
            if (!IsRecordHeader(header))
            {
                return hello is not null ? Finish("garbage after the ServerHello") : new ServerReply(ReplyKind.Garbage, "not TLS: " + Preview(header));
            }
        }

        ServerReply Finish(string note)
        {
            if (hello is null)
            {
                return new ServerReply(ReplyKind.Garbage, note);
            }
            return hello with
            {
                Detail = note,
                Certificates = certificates,
                DhPrimeBits = dhBits,
                EcdheGroup = ecdheGroup,
                OcspStapled = stapled,
            };
        }
    }

    private static bool IsRecordHeader(ReadOnlySpan<byte> header)
    {
        var length = (header[3] << 8) | header[4];
        return header[0] is >= 0x14 and <= 0x18 && header[1] == 0x03 && header[2] <= 0x04 && length is > 0 and <= MaxRecordLength;
    }

    private static bool TryTakeMessage(ReadOnlySpan<byte> buffer, out byte type, out byte[] body, out int size)
    {
        type = 0;
        body = [];
        size = 0;
        if (buffer.Length < 4)
        {
            return false;
        }
        var length = (buffer[1] << 16) | (buffer[2] << 8) | buffer[3];
        if (length > MaxBytes)
        {
            throw new FormatException($"handshake message of {length} bytes");
        }
        if (buffer.Length < 4 + length)
        {
            return false;
        }
        type = buffer[0];
        body = buffer.Slice(4, length).ToArray();
        size = 4 + length;
        return true;
    }

    /// <summary>ServerHello (RFC 8446 §4.1.3, RFC 5246 §7.4.1.3).</summary>
    internal static ServerReply ParseServerHello(ReadOnlySpan<byte> body)
    {
        var reader = new WireReader(body);
        var legacyVersion = reader.U16();
        var random = reader.Take(32);
        reader.Vector(1); // session id
        var suite = reader.U16();
        var compression = reader.U8();
        var extensions = new Dictionary<ushort, byte[]>();
        if (reader.Remaining > 0)
        {
            var block = new WireReader(reader.Vector(2));
            while (block.Remaining > 0)
            {
                var extType = block.U16();
                var data = block.Vector(2).ToArray();
                if (!extensions.TryAdd(extType, data))
                {
                    throw new FormatException($"extension {extType} appears twice (RFC 8446 §4.2)");
                }
            }
        }
        var version = (TlsVersion)legacyVersion;
        if (extensions.TryGetValue(0x002B, out var supported))
        {
            if (supported.Length != 2)
            {
                throw new FormatException("supported_versions in a ServerHello must be 2 bytes");
            }
            version = (TlsVersion)((supported[0] << 8) | supported[1]);
        }
        if (!Enum.IsDefined(version))
        {
            throw new FormatException($"unknown version 0x{(ushort)version:X4}");
        }
        ushort? group = null;
        if (extensions.TryGetValue(0x0033, out var share) && share.Length >= 2)
        {
            group = (ushort)((share[0] << 8) | share[1]);
        }
        var retry = random.SequenceEqual(HelloRetryRandom);
        return new ServerReply(retry ? ReplyKind.HelloRetryRequest : ReplyKind.ServerHello, "")
        {
            Version = version,
            Suite = suite,
            Compression = compression,
            Extensions = extensions,
            KeyShareGroup = group,
            DowngradeSentinel = random[24..31].SequenceEqual(DowngradePrefix),
        };
    }

    /// <summary>Certificate message before TLS 1.3 (RFC 5246 §7.4.2): a 3-byte list of 3-byte-length DER certificates.</summary>
    private static List<byte[]> ParseCertificates(ReadOnlySpan<byte> body)
    {
        var list = new WireReader(new WireReader(body).Vector(3));
        var certificates = new List<byte[]>();
        while (list.Remaining > 0 && certificates.Count < 20)
        {
            certificates.Add(list.Vector(3).ToArray());
        }
        return certificates;
    }

    /// <summary>
    /// ServerKeyExchange (RFC 5246 §7.4.3): for DHE the prime p comes first (its length is the DH strength, what
    /// Logjam is about); for ECDHE a named_curve (3) and the curve id (RFC 8422 §5.4).
    /// </summary>
    private static void ParseKeyExchange(ReadOnlySpan<byte> body, ushort suite, ref int? dhBits, ref ushort? ecdheGroup)
    {
        var kx = CipherSuiteTable.Find(suite).KeyExchange;
        var reader = new WireReader(body);
        if (kx is "DHE" or "DH-anon" or "DHE-EXPORT" or "DHE-PSK")
        {
            if (kx == "DHE-PSK")
            {
                reader.Vector(2); // psk_identity_hint
            }
            var p = reader.Vector(2);
            dhBits = (int)new BigInteger(p, isUnsigned: true, isBigEndian: true).GetBitLength();
        }
        else if (kx is "ECDHE" or "ECDH-anon" or "ECDHE-PSK")
        {
            if (kx == "ECDHE-PSK")
            {
                reader.Vector(2);
            }
            if (reader.U8() == 3)
            {
                ecdheGroup = reader.U16();
            }
        }
    }

    /// <summary>An SSLv2 SERVER-HELLO: msg type 4, session id hit, certificate type, version 0x0002, then lengths.</summary>
    private static async Task<ServerReply> ReadSsl2Async(BoundedInput input, byte[] header, int got, CancellationToken ct)
    {
        var length = ((header[0] & 0x7F) << 8) | header[1];
        var body = new byte[Math.Max(length, 3)];
        header.AsSpan(2, got - 2).CopyTo(body);
        var more = await input.ReadAsync(body.AsMemory(got - 2), ct).ConfigureAwait(false);
        if (got - 2 + more < 11)
        {
            return new ServerReply(ReplyKind.Garbage, "truncated SSLv2 SERVER-HELLO");
        }
        var version = (body[3] << 8) | body[4];
        var specs = (body[7] << 8) | body[8];
        return version == 0x0002 && specs > 0
            ? new ServerReply(ReplyKind.Ssl2ServerHello, $"{specs / 3} SSLv2 cipher specs") { Version = TlsVersion.Ssl2 }
            : new ServerReply(ReplyKind.Garbage, "SSLv2 SERVER-HELLO without cipher specs");
    }

    /// <summary>Up to 64 bytes of what came back, printable characters kept, so a finding can say "HTTP/1.1 400 ...".</summary>
    internal static string Preview(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder();
        foreach (var b in bytes[..Math.Min(bytes.Length, 64)])
        {
            text.Append(b is >= 0x20 and < 0x7F ? (char)b : '.');
        }
        var printable = text.ToString().Count(c => c != '.');
        return printable * 2 >= text.Length ? $"\"{text}\"" : Convert.ToHexString(bytes[..Math.Min(bytes.Length, 16)]).ToLower(CultureInfo.InvariantCulture) + "...";
    }

    /// <summary>Reads from the socket stream, counting every byte against <see cref="MaxBytes"/>.</summary>
    private sealed class BoundedInput(Stream stream)
    {
        private int _total;

        /// <summary>Fills <paramref name="buffer"/> unless the peer closes first; returns the count read.</summary>
        public async Task<int> ReadAsync(Memory<byte> buffer, CancellationToken ct)
        {
            var filled = 0;
            while (filled < buffer.Length)
            {
                var n = await ReadSomeAsync(buffer[filled..], ct).ConfigureAwait(false);
                if (n == 0)
                {
                    break;
                }
                filled += n;
            }
            return filled;
        }

        public async Task<int> ReadSomeAsync(Memory<byte> buffer, CancellationToken ct)
        {
            if (_total + buffer.Length > MaxBytes)
            {
                throw new FormatException($"the reply exceeds {MaxBytes} bytes");
            }
            var n = await stream.ReadAsync(buffer, ct).ConfigureAwait(false);
            _total += n;
            return n;
        }
    }
}
