using System.Text;
using Microsoft.AspNetCore.Http;
using Portcullis.Proxy.Http1;

namespace Portcullis.Tests.Proxy.Http1;

public sealed class ResponseHeadParserTests
{
    /// <summary>Latin-1, so a test can put any byte 0-255 in a head.</summary>
    private static byte[] Bytes(string text) => Encoding.Latin1.GetBytes(text);

    /// <summary>Parses "status line\r\n" + <paramref name="fields"/> + "\r\n" (each field followed by CRLF).</summary>
    private static (ResponseHead Head, IHeaderDictionary Headers) Parse(string statusLine, params string[] fields)
    {
        IHeaderDictionary headers = new HeaderDictionary();
        var head = ResponseHeadParser.Parse(Bytes(statusLine + "\r\n" + string.Concat(fields.Select(f => f + "\r\n")) + "\r\n"), headers);
        return (head, headers);
    }

    private static (ResponseHead Head, IHeaderDictionary Headers) Parse11(params string[] fields) => Parse("HTTP/1.1 200 OK", fields);

    private static UpstreamProtocolException ParseFails(string head) =>
        Assert.Throws<UpstreamProtocolException>(() => ResponseHeadParser.Parse(Bytes(head), new HeaderDictionary()));

    // --- FindHeadEnd ---

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\n\r\n", 19)]
    [InlineData("HTTP/1.1 200 OK\r\nA: b\r\n\r\nbody\r\n\r\n", 25)]
    [InlineData("HTTP/1.1 200 OK\r\nA: b\r\n", -1)]
    [InlineData("HTTP/1.1 200 OK\r\nA: b\r\n\r", -1)]
    [InlineData("HTTP/1.1 200 OK\n\n", -1)]
    [InlineData("", -1)]
    public void FindHeadEnd_ReturnsLengthThroughBlankLineOrMinusOne(string data, int expected)
    {
        Assert.Equal(expected, ResponseHeadParser.FindHeadEnd(Bytes(data)));
    }

    // --- Status line ---

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\n\r\n", 200)]
    [InlineData("HTTP/1.0 404 Not Found\r\n\r\n", 404)]
    [InlineData("HTTP/1.1 204\r\n\r\n", 204)]
    [InlineData("HTTP/1.1 503 \r\n\r\n", 503)]
    [InlineData("HTTP/1.1 100 Continue\r\n\r\n", 100)]
    [InlineData("HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n", 103)]
    [InlineData("HTTP/1.1 418 I'm a teapot, with spaces\r\n\r\n", 418)]
    public void ParseStatus_ValidStatusLine_ReturnsCode(string head, int expected)
    {
        Assert.Equal(expected, ResponseHeadParser.ParseStatus(Bytes(head)));
        Assert.Equal(expected, ResponseHeadParser.Parse(Bytes(head), new HeaderDictionary()).StatusCode);
    }

    [Theory]
    [InlineData("")]
    [InlineData("HTTP/1.1\r\n\r\n")]
    [InlineData("hello\r\n\r\n")]
    [InlineData("SSH-2.0-OpenSSH_9.6\r\n\r\n")]
    [InlineData("HTP/1.1 200 OK\r\n\r\n")]
    [InlineData("http/1.1 200 OK\r\n\r\n")]
    [InlineData("HTTP/2 200 OK\r\n\r\n")]
    [InlineData("HTTP/1.2 200 OK\r\n\r\n")]
    [InlineData("HTTP/1.1  200 OK\r\n\r\n")]
    [InlineData("HTTP/1.1 20 OK\r\n\r\n")]
    [InlineData("HTTP/1.1 2000 OK\r\n\r\n")]
    [InlineData("HTTP/1.1 2x0 OK\r\n\r\n")]
    [InlineData("HTTP/1.1 200\tOK\r\n\r\n")]
    [InlineData(" HTTP/1.1 200 OK\r\n\r\n")]
    public void ParseStatus_Garbage_Throws(string head)
    {
        Assert.Throws<UpstreamProtocolException>(() => ResponseHeadParser.ParseStatus(Bytes(head)));
        ParseFails(head);
    }

    [Theory]
    [InlineData("HTTP/1.1 000 Zero\r\n\r\n")]
    [InlineData("HTTP/1.1 099 Low\r\n\r\n")]
    [InlineData("HTTP/1.1 600 High\r\n\r\n")]
    [InlineData("HTTP/1.1 999 High\r\n\r\n")]
    public void ParseStatus_OutsideValidRange_Throws(string head)
    {
        Assert.Throws<UpstreamProtocolException>(() => ResponseHeadParser.ParseStatus(Bytes(head)));
    }

    // --- Content-Length ---

    [Theory]
    [InlineData(5, "Content-Length: 5")]
    [InlineData(0, "Content-Length: 0")]
    [InlineData(42, "content-length:   42  ")]
    [InlineData(5, "Content-Length: 5, 5")]
    [InlineData(5, "Content-Length: 5,5,5")]
    [InlineData(5, "Content-Length: 5", "Content-Length: 5")]
    [InlineData(5, "Content-Length: 5", "CONTENT-LENGTH: 5, 5")]
    [InlineData(123456789012345678, "Content-Length: 123456789012345678")]
    public void Parse_ContentLength_Accepted(long expected, params string[] fields)
    {
        var (head, headers) = Parse11(fields);

        Assert.Equal(expected, head.ContentLength);
        Assert.False(head.Chunked);
        Assert.False(head.Close);
        // The gateway frames the client response itself (HttpResponse.ContentLength): the field is not copied.
        Assert.False(headers.ContainsKey("Content-Length"));
    }

    [Theory]
    [InlineData("Content-Length: 5", "Content-Length: 6")]
    [InlineData("Content-Length: 5, 6")]
    [InlineData("Content-Length: 5, 5", "Content-Length: 6")]
    [InlineData("Content-Length: abc")]
    [InlineData("Content-Length: 5a")]
    [InlineData("Content-Length: -1")]
    [InlineData("Content-Length: +5")]
    [InlineData("Content-Length: 0x10")]
    [InlineData("Content-Length: 5.0")]
    [InlineData("Content-Length: 5 5")]
    [InlineData("Content-Length: 5,")]
    [InlineData("Content-Length: ,5")]
    [InlineData("Content-Length:")]
    [InlineData("Content-Length: 1234567890123456789")]
    [InlineData("Content-Length: 5\u00a0")]
    public void Parse_ContentLength_InvalidOrConflicting_Throws(params string[] fields)
    {
        ParseFails("HTTP/1.1 200 OK\r\n" + string.Concat(fields.Select(f => f + "\r\n")) + "\r\n");
    }

    [Fact]
    public void Parse_NoFraming_ContentLengthMinusOneNotChunked()
    {
        var (head, _) = Parse11("Content-Type: text/plain");

        Assert.Equal(-1, head.ContentLength);
        Assert.False(head.Chunked);
        Assert.False(head.HasTransferEncoding);
        Assert.False(head.Close);
    }

    // --- Transfer-Encoding ---

    [Theory]
    [InlineData("Transfer-Encoding: chunked")]
    [InlineData("Transfer-Encoding: Chunked")]
    [InlineData("transfer-encoding:chunked")]
    [InlineData("Transfer-Encoding:  chunked ")]
    public void Parse_TransferEncodingChunked_Chunked(params string[] fields)
    {
        var (head, headers) = Parse11(fields);

        Assert.True(head.Chunked);
        Assert.True(head.HasTransferEncoding);
        Assert.Equal(-1, head.ContentLength);
        Assert.False(head.Close);
        Assert.False(headers.ContainsKey("Transfer-Encoding"));
    }

    [Theory]
    [InlineData("Transfer-Encoding: gzip")]
    [InlineData("Transfer-Encoding: identity")]
    [InlineData("Transfer-Encoding: chunked, gzip")]
    [InlineData("Transfer-Encoding: chunked", "Transfer-Encoding: gzip")]
    [InlineData("Transfer-Encoding: xchunked")]
    [InlineData("Transfer-Encoding: gzip, chunked")]
    [InlineData("Transfer-Encoding: gzip,chunked")]
    [InlineData("Transfer-Encoding: gzip", "Transfer-Encoding: chunked")]
    public void Parse_TransferCodingOtherThanChunked_Throws(params string[] fields)
    {
        // We remove the chunking; any other coding would reach the client still applied with nothing saying so.
        Assert.Throws<UpstreamProtocolException>(() => Parse11(fields));
    }

    [Theory]
    [InlineData("Transfer-Encoding: chunked", "Content-Length: 10")]
    [InlineData("Content-Length: 10", "Transfer-Encoding: chunked")]
    [InlineData("Content-Length: 10", "Transfer-Encoding: chunked", "Content-Length: 10")]
    public void Parse_TransferEncodingAndContentLength_LengthIgnoredAndClose(params string[] fields)
    {
        var (head, headers) = Parse11(fields);

        Assert.True(head.Chunked);
        Assert.Equal(-1, head.ContentLength);
        Assert.True(head.Close);
        Assert.False(headers.ContainsKey("Content-Length"));
    }

    // --- Connection management ---

    [Theory]
    [InlineData("HTTP/1.1 200 OK", false)]
    [InlineData("HTTP/1.1 200 OK", true, "Connection: close")]
    [InlineData("HTTP/1.1 200 OK", true, "Connection: Close")]
    [InlineData("HTTP/1.1 200 OK", true, "Connection: X-Hop, close")]
    [InlineData("HTTP/1.1 200 OK", true, "Connection: keep-alive", "Connection: close")]
    [InlineData("HTTP/1.1 200 OK", false, "Connection: keep-alive")]
    [InlineData("HTTP/1.0 200 OK", true)]
    [InlineData("HTTP/1.0 200 OK", true, "Content-Length: 0")]
    [InlineData("HTTP/1.0 200 OK", false, "Connection: keep-alive", "Content-Length: 0")]
    [InlineData("HTTP/1.0 200 OK", false, "Connection: Keep-Alive", "Keep-Alive: timeout=5", "Content-Length: 0")]
    [InlineData("HTTP/1.0 200 OK", true, "Connection: close")]
    [InlineData("HTTP/1.0 200 OK", true, "Connection: keep-alive", "Transfer-Encoding: chunked")]
    // RFC 9112 §9.3: "close" means the connection will not persist, whatever else the field lists.
    [InlineData("HTTP/1.0 200 OK", true, "Connection: keep-alive, close", "Content-Length: 0")]
    public void Parse_ConnectionManagement_Close(string statusLine, bool expectedClose, params string[] fields)
    {
        var (head, headers) = Parse(statusLine, fields);

        Assert.Equal(expectedClose, head.Close);
        Assert.False(headers.ContainsKey("Connection"));
        Assert.False(headers.ContainsKey("Keep-Alive"));
    }

    [Fact]
    public void Parse_ConnectionListedHeaders_Removed()
    {
        var (head, headers) = Parse11("Connection: X-Hop, x-other-hop", "X-Hop: 1", "X-Other-Hop: 2", "X-End-To-End: 3", "Connection: X-Third", "X-Third: 4");

        Assert.False(head.Close);
        Assert.False(headers.ContainsKey("X-Hop"));
        Assert.False(headers.ContainsKey("X-Other-Hop"));
        Assert.False(headers.ContainsKey("X-Third"));
        Assert.Equal("3", headers["X-End-To-End"]);
    }

    [Theory]
    [InlineData("Connection: keep-alive")]
    [InlineData("Keep-Alive: timeout=5, max=100")]
    [InlineData("keep-alive: timeout=5")]
    [InlineData("Upgrade: h2c")]
    [InlineData("Trailer: X-Checksum")]
    [InlineData("Proxy-Connection: keep-alive")]
    [InlineData("TE: trailers")]
    [InlineData("te: trailers")]
    [InlineData("Transfer-Encoding: chunked")]
    [InlineData("Content-Length: 0")]
    public void Parse_HopByHopHeader_NotCopied(string field)
    {
        var (_, headers) = Parse11(field, "X-Kept: yes");

        var name = field[..field.IndexOf(':', StringComparison.Ordinal)];
        Assert.False(headers.ContainsKey(name));
        Assert.Equal("yes", headers["X-Kept"]);
        Assert.Single(headers);
    }

    // --- Field syntax ---

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nX-A: one\r\n two\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nX-A: one\r\n\ttwo\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\n X-A: leading whitespace before the first field\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n Content-Length: 5\r\n\r\n")]
    public void Parse_ObsFold_Throws(string head)
    {
        var ex = ParseFails(head);

        Assert.Contains("folding", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Content-Length : 5")]
    [InlineData("X-A : b")]
    [InlineData("X-A\t: b")]
    [InlineData("Transfer-Encoding : chunked")]
    [InlineData(": no name")]
    [InlineData("no colon at all")]
    [InlineData("X A: b")]
    [InlineData("X-A(b): c")]
    [InlineData("X-\u00e9: b")]
    public void Parse_MalformedFieldName_Throws(string field)
    {
        ParseFails($"HTTP/1.1 200 OK\r\n{field}\r\n\r\n");
    }

    [Theory]
    [InlineData("a\u0000b")]
    [InlineData("a\u0001b")]
    [InlineData("a\u0008b")]
    [InlineData("a\u000bb")]
    [InlineData("a\u001fb")]
    [InlineData("a\u007fb")]
    [InlineData("a\rb")]
    [InlineData("a\nb")]
    [InlineData("a\r\nX-Injected: yes\nb")]
    public void Parse_ControlCharacterInValue_Throws(string value)
    {
        var ex = ParseFails($"HTTP/1.1 200 OK\r\nX-A: {value}\r\n\r\n");

        Assert.Contains("control character", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("X-A: plain", "plain")]
    [InlineData("X-A:no-space", "no-space")]
    [InlineData("X-A: \t padded \t ", "padded")]
    [InlineData("X-A: inner\ttab", "inner\ttab")]
    public void Parse_FieldValue_TrimmedAndKept(string field, string expected)
    {
        var (_, headers) = Parse11(field);

        Assert.Equal(expected, Assert.Single(headers["X-A"]));
    }

    [Fact]
    public void Parse_DuplicateSetCookie_BothValuesPreservedInOrder()
    {
        var (_, headers) = Parse11("Set-Cookie: a=1; Path=/; HttpOnly", "Content-Type: text/plain", "set-cookie: b=2; Expires=Wed, 21 Oct 2015 07:28:00 GMT");

        Assert.Equal(new[] { "a=1; Path=/; HttpOnly", "b=2; Expires=Wed, 21 Oct 2015 07:28:00 GMT" }, headers["Set-Cookie"].ToArray());
        Assert.Equal("text/plain", headers.ContentType);
    }

    [Fact]
    public void Parse_RepeatedField_EachValueKept()
    {
        var (_, headers) = Parse11("Vary: Accept", "Vary: Accept-Encoding", "Link: </a>; rel=preload", "Link: </b>; rel=preload");

        Assert.Equal(new[] { "Accept", "Accept-Encoding" }, headers.Vary.ToArray());
        Assert.Equal(2, headers.Link.Count);
    }

    [Fact]
    public void Parse_EndToEndHeaders_CopiedWithTheirNames()
    {
        var (_, headers) = Parse11("content-type: application/json", "ETag: \"v1\"", "X-Custom-Header: value", "Server: nginx/1.25.3");

        Assert.Equal("application/json", headers.ContentType);
        Assert.Equal("\"v1\"", headers.ETag);
        Assert.Contains("X-Custom-Header", headers.Keys);
        // Banners are stripped later by the site's header policy, not by the parser.
        Assert.Equal("nginx/1.25.3", headers.Server);
    }

    [Fact]
    public void Parse_BytesAfterBlankLine_NotParsedAsFields()
    {
        // The forwarder passes exactly FindHeadEnd bytes; anything after the blank line is body, never fields.
        var data = Bytes("HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\nX-Body: not a header");
        var headers = new HeaderDictionary();

        var head = ResponseHeadParser.Parse(data.AsSpan(0, ResponseHeadParser.FindHeadEnd(data)), headers);

        Assert.Equal(11, head.ContentLength);
        Assert.Empty(headers);
    }
}
