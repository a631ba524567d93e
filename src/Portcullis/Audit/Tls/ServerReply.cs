namespace Portcullis.Audit.Tls;

/// <summary>How a server answered one hand-built ClientHello.</summary>
internal enum ReplyKind
{
    /// <summary>A ServerHello: the server accepted <see cref="ServerReply.Suite"/> at <see cref="ServerReply.Version"/>.</summary>
    ServerHello,

    /// <summary>A TLS 1.3 HelloRetryRequest (RFC 8446 §4.1.4): suite chosen, but it wants a key share for another group.</summary>
    HelloRetryRequest,

    /// <summary>An SSLv2 SERVER-HELLO: SSLv2 is on.</summary>
    Ssl2ServerHello,

    /// <summary>An alert record (RFC 8446 §6) before any ServerHello: refused.</summary>
    Alert,

    /// <summary>The connection was closed or reset before any answer.</summary>
    Closed,

    /// <summary>No complete answer within the probe timeout.</summary>
    Timeout,

    /// <summary>Bytes that are not TLS (a plain-HTTP port, another protocol) or a malformed/hostile TLS message.</summary>
    Garbage,
}

/// <summary>
/// One server answer, parsed as far as the probe needs: the ServerHello fields, and for TLS ≤ 1.2 the plaintext
/// Certificate, ServerKeyExchange and CertificateStatus messages of the same flight.
/// </summary>
internal sealed record ServerReply(ReplyKind Kind, string Detail)
{
    /// <summary>The negotiated version: supported_versions when present, else the ServerHello version (RFC 8446 §4.1.3).</summary>
    public TlsVersion? Version { get; init; }

    public ushort? Suite { get; init; }

    public byte Compression { get; init; }

    /// <summary>ServerHello extensions by type, with their data.</summary>
    public IReadOnlyDictionary<ushort, byte[]> Extensions { get; init; } = new Dictionary<ushort, byte[]>();

    public byte? AlertLevel { get; init; }

    public byte? AlertDescription { get; init; }

    /// <summary>The group in the TLS 1.3 key_share (ServerHello) or the one a HelloRetryRequest asks for.</summary>
    public ushort? KeyShareGroup { get; init; }

    /// <summary>The random ends in "DOWNGRD": a TLS 1.3 server answered a hello that offered less (RFC 8446 §4.1.3).</summary>
    public bool DowngradeSentinel { get; init; }

    /// <summary>DER certificates from the TLS ≤ 1.2 Certificate message, leaf first.</summary>
    public IReadOnlyList<byte[]> Certificates { get; init; } = [];

    /// <summary>Size of the DHE prime p from ServerKeyExchange (RFC 5246 §7.4.3).</summary>
    public int? DhPrimeBits { get; init; }

    /// <summary>The named curve from an ECDHE ServerKeyExchange (RFC 8422 §5.4).</summary>
    public ushort? EcdheGroup { get; init; }

    /// <summary>A CertificateStatus message with an OCSP response arrived (RFC 6066 §8).</summary>
    public bool OcspStapled { get; init; }

    public bool IsHello => Kind is ReplyKind.ServerHello or ReplyKind.HelloRetryRequest;

    public bool HasExtension(ushort type) => Extensions.ContainsKey(type);

    public override string ToString() => Kind switch
    {
        ReplyKind.ServerHello or ReplyKind.HelloRetryRequest => $"{Kind} {Version} 0x{Suite:X4}",
        ReplyKind.Alert => $"alert {AlertDescription} ({AlertNames.Describe(AlertDescription ?? 0)})",
        _ => $"{Kind}: {Detail}",
    };
}
