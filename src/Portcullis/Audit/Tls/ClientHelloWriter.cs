using System.Security.Cryptography;
using System.Text;

namespace Portcullis.Audit.Tls;

/// <summary>
/// Builds ClientHello records byte by byte (notes/tls.md §3.3): the system TLS library refuses to offer SSLv3, export,
/// RC4 or NULL suites, and an audit must ask for exactly those to learn whether a server still accepts them.
/// </summary>
internal static class ClientHelloWriter
{
    /// <summary>TLS_EMPTY_RENEGOTIATION_INFO_SCSV (RFC 5746 §3.3): asks for secure renegotiation without an extension.</summary>
    private const ushort RenegotiationScsv = 0x00FF;

    /// <summary>TLS_FALLBACK_SCSV (RFC 7507 §2).</summary>
    private const ushort FallbackScsv = 0x5600;

    // Signature schemes (RFC 8446 §4.2.3): ECDSA, RSA-PSS, Ed25519, RSA PKCS#1, then SHA-1 ones so an old server still finds one.
    private static readonly ushort[] SignatureSchemes = [0x0403, 0x0503, 0x0603, 0x0804, 0x0805, 0x0806, 0x0807, 0x0401, 0x0501, 0x0601, 0x0203, 0x0201];

    public static byte[] Write(ClientHello hello)
    {
        if (hello.Version == TlsVersion.Ssl2)
        {
            return WriteSsl2();
        }
        var tls13 = hello.Version == TlsVersion.Tls13;
        var body = new List<byte>(1024);
        // legacy_version: TLS 1.3 hellos say 1.2 and name 1.3 in supported_versions (RFC 8446 §4.1.2).
        Put16(body, tls13 ? (ushort)TlsVersion.Tls12 : (ushort)hello.Version);
        body.AddRange(RandomNumberGenerator.GetBytes(32));
        if (tls13)
        {
            // A non-empty legacy_session_id: "middlebox compatibility mode" (RFC 8446 §D.4); testssl does the same.
            body.Add(32);
            body.AddRange(RandomNumberGenerator.GetBytes(32));
        }
        else
        {
            body.Add(0);
        }
        var suites = new List<ushort>(hello.Suites);
        if (!tls13)
        {
            suites.Add(RenegotiationScsv);
        }
        if (hello.FallbackScsv)
        {
            suites.Add(FallbackScsv);
        }
        Put16(body, checked((ushort)(suites.Count * 2)));
        foreach (var suite in suites)
        {
            Put16(body, suite);
        }
        if (hello.OfferCompression && !tls13)
        {
            body.AddRange([2, 1, 0]); // DEFLATE (RFC 3749), then NULL
        }
        else
        {
            body.AddRange([1, 0]);
        }
        // SSLv3 has no extensions (RFC 6101 predates RFC 3546); send none so an SSLv3-only server is not confused.
        if (hello.Version != TlsVersion.Ssl3)
        {
            var extensions = WriteExtensions(hello, tls13);
            Put16(body, checked((ushort)extensions.Count));
            body.AddRange(extensions);
        }
        var handshake = new List<byte>(body.Count + 4) { 0x01 };
        Put24(handshake, body.Count);
        handshake.AddRange(body);
        // Record version: 0x0301 for every first hello except SSLv3 (RFC 8446 §5.1 allows it; testssl does this), because
        // some old servers reject a record version they do not know.
        var record = new List<byte>(handshake.Count + 5) { 0x16 };
        Put16(record, hello.Version == TlsVersion.Ssl3 ? (ushort)0x0300 : (ushort)0x0301);
        Put16(record, checked((ushort)handshake.Count));
        record.AddRange(handshake);
        return [.. record];
    }

    private static List<byte> WriteExtensions(ClientHello hello, bool tls13)
    {
        var ext = new List<byte>(512);
        if (hello.ServerName is { Length: > 0 } name)
        {
            var ascii = Encoding.ASCII.GetBytes(name);
            var data = new List<byte>();
            Put16(data, checked((ushort)(ascii.Length + 3)));
            data.Add(0); // host_name (RFC 6066 §3)
            Put16(data, (ushort)ascii.Length);
            data.AddRange(ascii);
            AddExtension(ext, 0x0000, data);
        }
        if (hello.StatusRequest)
        {
            AddExtension(ext, 0x0005, [1, 0, 0, 0, 0]); // ocsp, no responder ids, no extensions (RFC 6066 §8)
        }
        if (hello.Groups.Count > 0)
        {
            var groups = new List<byte>();
            Put16(groups, checked((ushort)(hello.Groups.Count * 2)));
            foreach (var group in hello.Groups)
            {
                Put16(groups, group.Code);
            }
            AddExtension(ext, 0x000A, groups);
            if (!tls13)
            {
                AddExtension(ext, 0x000B, [1, 0]); // ec_point_formats: uncompressed (RFC 8422 §5.1.2)
            }
        }
        // signature_algorithms only from TLS 1.2 on (RFC 5246 §7.4.1.4.1: earlier clients MUST NOT offer it).
        if (hello.Version >= TlsVersion.Tls12)
        {
            var schemes = new List<byte>();
            Put16(schemes, (ushort)(SignatureSchemes.Length * 2));
            foreach (var scheme in SignatureSchemes)
            {
                Put16(schemes, scheme);
            }
            AddExtension(ext, 0x000D, schemes);
        }
        AddExtension(ext, 0x0017, []); // extended_master_secret (RFC 7627): some servers insist on it
        if (tls13)
        {
            AddExtension(ext, 0x002B, [2, 0x03, 0x04]); // supported_versions: TLS 1.3 only
            AddExtension(ext, 0x002D, [1, 1]);           // psk_key_exchange_modes: psk_dhe_ke; some servers fail without it
            AddExtension(ext, 0x0033, WriteKeyShare(hello.Groups));
        }
        else
        {
            AddExtension(ext, 0xFF01, [0]); // renegotiation_info, empty (RFC 5746 §3.4)
        }
        return ext;
    }

    /// <summary>One key share for the first group (RFC 8446 §4.2.8); a group with no share makes the server send a HelloRetryRequest, which still tells the answer.</summary>
    private static List<byte> WriteKeyShare(IReadOnlyList<NamedGroup> groups)
    {
        var entries = new List<byte>();
        if (groups.Count > 0)
        {
            byte[]? key;
            try
            {
                key = groups[0].CreateKeyShare();
            }
            catch (CryptographicException)
            {
                key = null; // a curve this machine cannot generate: offer it without a share
            }
            catch (PlatformNotSupportedException)
            {
                key = null;
            }
            if (key is not null)
            {
                Put16(entries, groups[0].Code);
                Put16(entries, checked((ushort)key.Length));
                entries.AddRange(key);
            }
        }
        var data = new List<byte>(entries.Count + 2);
        Put16(data, checked((ushort)entries.Count));
        data.AddRange(entries);
        return data;
    }

    /// <summary>
    /// An SSLv2 CLIENT-HELLO (draft-hickman-netscape-ssl-00 §B.1): 2-byte header with the high bit set, msg type 1,
    /// version 0x0002, the seven SSLv2 cipher specs and a 16-byte challenge.
    /// </summary>
    private static byte[] WriteSsl2()
    {
        byte[] specs = [0x01, 0x00, 0x80, 0x02, 0x00, 0x80, 0x03, 0x00, 0x80, 0x04, 0x00, 0x80, 0x05, 0x00, 0x80, 0x06, 0x00, 0x40, 0x07, 0x00, 0xC0];
        var body = new List<byte> { 0x01, 0x00, 0x02 };
        Put16(body, (ushort)specs.Length);
        Put16(body, 0);  // session id length
        Put16(body, 16); // challenge length
        body.AddRange(specs);
        body.AddRange(RandomNumberGenerator.GetBytes(16));
        var record = new List<byte>(body.Count + 2);
        Put16(record, (ushort)(0x8000 | body.Count));
        record.AddRange(body);
        return [.. record];
    }

    private static void AddExtension(List<byte> target, ushort type, List<byte> data)
    {
        Put16(target, type);
        Put16(target, checked((ushort)data.Count));
        target.AddRange(data);
    }

    private static void Put16(List<byte> target, ushort value)
    {
        target.Add((byte)(value >> 8));
        target.Add((byte)value);
    }

    private static void Put24(List<byte> target, int value)
    {
        target.Add((byte)(value >> 16));
        target.Add((byte)(value >> 8));
        target.Add((byte)value);
    }
}
