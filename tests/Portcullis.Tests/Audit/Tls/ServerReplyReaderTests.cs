using System.Net;
using Portcullis.Audit.Tls;
using Portcullis.Tests.Audit.Targets;

namespace Portcullis.Tests.Audit.Tls;

/// <summary>
/// Hostile and odd answers, sent by a real loopback peer to a real probe: each is classified (a finding later), none
/// throws, and none makes the prober read without bound.
/// </summary>
public sealed class ServerReplyReaderTests
{
    private static readonly byte[] HelloRetryRandom = Convert.FromHexString("CF21AD74E59A6111BE1D8C021E65B891C2A211167ABB8C5E079E09E2C8A8339C");

    public static TheoryData<string, byte[], bool, string, string> Replies => new()
    {
        { "fatal alert handshake_failure", Record(0x15, [2, 40]), false, nameof(ReplyKind.Alert), "handshake_failure" },
        { "TLS 1.2 ServerHello", Record(0x16, Handshake(0x02, ServerHello(0x0303, 0xC02F, Extension(0xFF01, [0])))), false, nameof(ReplyKind.ServerHello), "" },
        { "ServerHello, then the peer closes before ServerHelloDone", Record(0x16, Handshake(0x02, ServerHello(0x0303, 0xC02F))), true, nameof(ReplyKind.ServerHello), "closed before ServerHelloDone" },
        { "HelloRetryRequest", Record(0x16, Handshake(0x02, ServerHello(0x0303, 0x1301, [.. Extension(0x002B, [3, 4]), .. Extension(0x0033, [0x00, 0x17])], HelloRetryRandom))), false, nameof(ReplyKind.HelloRetryRequest), "" },
        { "record length beyond 2^14 + 2048", [0x16, 0x03, 0x03, 0xFF, 0xFF, 1, 2, 3], false, nameof(ReplyKind.Garbage), "not TLS" },
        { "plain HTTP", "HTTP/1.1 400 Bad Request\r\n\r\n"u8.ToArray(), false, nameof(ReplyKind.Garbage), "HTTP/1.1 400" },
        { "session id longer than the message", Record(0x16, Handshake(0x02, [3, 3, .. new byte[32], 200, 0, 0])), false, nameof(ReplyKind.Garbage), "malformed" },
        { "handshake message claiming 16 MiB", Record(0x16, [0x02, 0xFF, 0xFF, 0xFF, 0, 0]), false, nameof(ReplyKind.Garbage), "malformed" },
        { "extension listed twice", Record(0x16, Handshake(0x02, ServerHello(0x0303, 0xC02F, [.. Extension(0xFF01, [0]), .. Extension(0xFF01, [0])]))), false, nameof(ReplyKind.Garbage), "twice" },
        { "unknown version", Record(0x16, Handshake(0x02, ServerHello(0x0399, 0xC02F))), false, nameof(ReplyKind.Garbage), "unknown version" },
        { "supported_versions of 3 bytes", Record(0x16, Handshake(0x02, ServerHello(0x0303, 0x1301, Extension(0x002B, [3, 4, 0])))), false, nameof(ReplyKind.Garbage), "supported_versions" },
        { "application data before any hello", Record(0x17, [1, 2, 3]), false, nameof(ReplyKind.Garbage), "record type 23" },
        { "another handshake message first", Record(0x16, Handshake(0x0B, [0, 0, 0])), false, nameof(ReplyKind.Garbage), "where a ServerHello was expected" },
        { "endless handshake message", EndlessMessage(), false, nameof(ReplyKind.Garbage), "" },
        { "SSLv2 SERVER-HELLO", [0x80, 0x0D, 0x04, 0x00, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x01, 0x00, 0x80], false, nameof(ReplyKind.Ssl2ServerHello), "" },
        { "nothing", [], false, nameof(ReplyKind.Closed), "" },
    };

    [Theory]
    [MemberData(nameof(Replies))]
    public async Task SendAsync_HostileOrOddReply_IsClassified(string what, byte[] reply, bool readFlight, string kind, string detail)
    {
        await using var peer = new RawTcpTarget(reply.Length == 0 ? RawTcpTarget.Behaviour.CloseAtOnce : RawTcpTarget.Behaviour.Reply, reply);
        using var client = new TlsProbeClient(new IPEndPoint(IPAddress.Loopback, peer.Port), "app.test", TimeSpan.FromSeconds(3));

        var answer = await client.SendAsync(new ClientHello(TlsVersion.Tls12, [0xC02F], ClientHello.DefaultGroups, "app.test"), readFlight, CancellationToken.None);

        Assert.True(Enum.Parse<ReplyKind>(kind) == answer.Kind, $"{what}: expected {kind}, got {answer}");
        Assert.Contains(detail, answer.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_PeerStopsMidRecord_TimesOutWithinTheBound()
    {
        await using var peer = new RawTcpTarget(RawTcpTarget.Behaviour.Silent);
        using var client = new TlsProbeClient(new IPEndPoint(IPAddress.Loopback, peer.Port), null, TimeSpan.FromMilliseconds(500));

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var answer = await client.SendAsync(new ClientHello(TlsVersion.Tls13, [0x1301], ClientHello.DefaultGroups, null), false, CancellationToken.None);

        Assert.Equal(ReplyKind.Timeout, answer.Kind);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3), $"took {watch.Elapsed.TotalSeconds:0.0} s");
    }

    [Fact]
    public void ParseServerHello_Tls13WithKeyShareAndDowngradeSentinel_ReadsFields()
    {
        byte[] random = [.. new byte[24], .. "DOWNGRD"u8, 1];
        var hello = ServerReplyReader.ParseServerHello(ServerHello(0x0303, 0x1302, [.. Extension(0x002B, [3, 4]), .. Extension(0x0033, [0x00, 0x1D, 0x00, 0x01, 0x00])], random));

        Assert.Equal((ReplyKind.ServerHello, TlsVersion.Tls13, (ushort?)0x1302, (ushort?)0x001D, true),
            (hello.Kind, hello.Version!.Value, hello.Suite, hello.KeyShareGroup, hello.DowngradeSentinel));
    }

    private static byte[] Record(byte type, byte[] fragment) => [type, 0x03, 0x03, (byte)(fragment.Length >> 8), (byte)fragment.Length, .. fragment];

    private static byte[] Handshake(byte type, byte[] body) => [type, (byte)(body.Length >> 16), (byte)(body.Length >> 8), (byte)body.Length, .. body];

    private static byte[] Extension(ushort type, byte[] data) => [(byte)(type >> 8), (byte)type, (byte)(data.Length >> 8), (byte)data.Length, .. data];

    private static byte[] ServerHello(ushort version, ushort suite, byte[]? extensions = null, byte[]? random = null)
    {
        byte[] body = [(byte)(version >> 8), (byte)version, .. random ?? new byte[32], 0, (byte)(suite >> 8), (byte)suite, 0];
        return extensions is null ? body : [.. body, (byte)(extensions.Length >> 8), (byte)extensions.Length, .. extensions];
    }

    /// <summary>A ServerHello that claims 200 KiB and keeps coming in full records: the reader must give up, not buffer it all.</summary>
    private static byte[] EndlessMessage()
    {
        var output = new List<byte>();
        var first = new byte[16000];
        first[0] = 0x02;
        first[1] = 0x03; // 0x032000 = 204,800 bytes claimed
        first[2] = 0x20;
        output.AddRange(Record(0x16, first));
        for (var i = 0; i < 20; i++)
        {
            output.AddRange(Record(0x16, new byte[16000]));
        }
        return [.. output];
    }
}
