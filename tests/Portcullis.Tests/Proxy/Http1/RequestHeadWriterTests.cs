using System.Buffers;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Portcullis.Proxy;
using Portcullis.Proxy.Http1;
using Portcullis.Tests.TestSupport;

namespace Portcullis.Tests.Proxy.Http1;

public sealed class RequestHeadWriterTests
{
    private static readonly (string For, string Proto, string Host) Forwarded = ("203.0.113.7", "https", "app.test");

    private static Upstream UpstreamAt(string url) => new(new Uri(url), new UpstreamHealth(new ManualTimeProvider()));

    private static DefaultHttpContext Request(string method = "GET", string path = "/", string query = "", string? rawTarget = null)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Scheme = "https";
        context.Request.Host = new HostString("app.test");
        context.Request.Path = path;
        context.Request.QueryString = new QueryString(query);
        context.Features.GetRequiredFeature<IHttpRequestFeature>().RawTarget = rawTarget ?? path + query;
        return context;
    }

    /// <summary>The head as text, split into the request line and the field lines (the buffer goes back to the pool).</summary>
    private static Head Write(HttpContext context, string upstream = "http://10.0.0.1:3000", bool trustedPeer = false, string requestId = "req-1")
    {
        var buffer = RequestHeadWriter.Write(context, UpstreamAt(upstream), Forwarded, requestId, trustedPeer, out var length);
        var text = Encoding.Latin1.GetString(buffer, 0, length);
        ArrayPool<byte>.Shared.Return(buffer);
        Assert.EndsWith("\r\n\r\n", text, StringComparison.Ordinal);
        var lines = text[..^4].Split("\r\n");
        var fields = lines.Skip(1).Select(line =>
        {
            var colon = line.IndexOf(": ", StringComparison.Ordinal);
            Assert.True(colon > 0, $"malformed field line '{line}'");
            return (Name: line[..colon], Value: line[(colon + 2)..]);
        }).ToList();
        return new Head(lines[0], fields);
    }

    private sealed record Head(string RequestLine, List<(string Name, string Value)> Fields)
    {
        public string[] Values(string name) =>
            [.. Fields.Where(f => f.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(f => f.Value)];

        public string? Single(string name) => Assert.Single(Values(name));
    }

    // --- Request line ---

    [Theory]
    [InlineData("GET", "/a%2Fb", "?x=%20y&z", "/a%2Fb?x=%20y&z", "GET /a%2Fb?x=%20y&z HTTP/1.1")]
    [InlineData("GET", "/caf\u00e9", "", "/caf%C3%A9", "GET /caf%C3%A9 HTTP/1.1")]
    [InlineData("DELETE", "/items/7", "", "/items/7", "DELETE /items/7 HTTP/1.1")]
    // Kestrel removed the dot segments when it parsed the target; routing matched "/seg", so "/seg" goes upstream.
    [InlineData("GET", "/seg", "", "/dot/%2e%2e/seg", "GET /seg HTTP/1.1")]
    [InlineData("GET", "/app", "", "/internal/../app", "GET /app HTTP/1.1")]
    // An HTTP/2 :path may carry bytes a request line cannot: they are percent-encoded.
    [InlineData("GET", "/s", "?q=a b", "/s?q=a b", "GET /s?q=a%20b HTTP/1.1")]
    [InlineData("GET", "/s", "?q=\u00e9", "/s?q=\u00e9", "GET /s?q=%C3%A9 HTTP/1.1")]
    public void Write_RequestLine_IsWhatRoutingMatchedNotTheRawTarget(string method, string path, string query, string rawTarget, string expected)
    {
        var context = Request(method, path, query, rawTarget);

        Assert.Equal(expected, Write(context).RequestLine);
    }

    [Theory]
    [InlineData("http://app.test/x/y?q=1", "/x/y", "?q=1", "GET /x/y?q=1 HTTP/1.1")]
    [InlineData("", "/x", "", "GET /x HTTP/1.1")]
    [InlineData("*", "", "", "GET / HTTP/1.1")]
    [InlineData("http://app.test", "", "", "GET / HTTP/1.1")]
    public void Write_RawTargetNotOriginForm_BuiltFromPathAndQuery(string rawTarget, string path, string query, string expected)
    {
        var context = Request(path: path, query: query, rawTarget: rawTarget);

        Assert.Equal(expected, Write(context).RequestLine);
    }

    [Theory]
    [InlineData("http://10.0.0.1:3000", "GET /x?q=1 HTTP/1.1")]
    [InlineData("http://10.0.0.1:3000/", "GET /x?q=1 HTTP/1.1")]
    [InlineData("http://10.0.0.1:3000/base", "GET /base/x?q=1 HTTP/1.1")]
    [InlineData("http://10.0.0.1:3000/base/", "GET /base/x?q=1 HTTP/1.1")]
    [InlineData("http://10.0.0.1:3000/a/b/", "GET /a/b/x?q=1 HTTP/1.1")]
    public void Write_UpstreamPathBase_Prepended(string upstream, string expected)
    {
        var context = Request(path: "/x", query: "?q=1");

        Assert.Equal(expected, Write(context, upstream).RequestLine);
    }

    // --- Host ---

    [Theory]
    [InlineData("http://10.0.0.1:3000", "10.0.0.1:3000")]
    [InlineData("http://backend.internal", "backend.internal")]
    [InlineData("http://backend.internal:80/base", "backend.internal")]
    [InlineData("http://[::1]:8080", "[::1]:8080")]
    public void Write_Host_IsTheUpstreamAuthority(string upstream, string expected)
    {
        var context = Request();
        context.Request.Headers.Host = "app.test";

        var head = Write(context, upstream);

        Assert.Equal(expected, head.Single("Host"));
        Assert.Equal("Host", head.Fields[0].Name);
    }

    // --- Hop-by-hop ---

    [Theory]
    [InlineData("Connection", "keep-alive")]
    [InlineData("Keep-Alive", "timeout=5")]
    [InlineData("TE", "trailers")]
    [InlineData("te", "trailers")]
    [InlineData("Transfer-Encoding", "chunked")]
    [InlineData("Upgrade", "websocket")]
    [InlineData("upgrade", "h2c")]
    [InlineData("Proxy-Connection", "keep-alive")]
    [InlineData("Trailer", "X-Checksum")]
    public void Write_HopByHopHeader_Dropped(string name, string value)
    {
        var context = Request();
        context.Request.Headers[name] = value;
        context.Request.Headers["X-End-To-End"] = "kept";

        var head = Write(context);

        Assert.Empty(head.Values(name));
        Assert.Equal("kept", head.Single("X-End-To-End"));
    }

    [Theory]
    [InlineData(new[] { "X-Secret" }, new[] { "X-Secret" })]
    [InlineData(new[] { "x-secret, keep-alive" }, new[] { "X-Secret" })]
    [InlineData(new[] { "X-Secret,X-Other" }, new[] { "X-Secret", "X-Other" })]
    [InlineData(new[] { "X-Secret", "X-Other" }, new[] { "X-Secret", "X-Other" })]
    [InlineData(new[] { "close, Cookie" }, new[] { "Cookie" })]
    [InlineData(new[] { "X-Secret,\tX-Other" }, new[] { "X-Secret", "X-Other" })]
    public void Write_ConnectionListedHeaders_Dropped(string[] connection, string[] listed)
    {
        var context = Request();
        context.Request.Headers.Connection = connection;
        foreach (var name in listed)
        {
            context.Request.Headers[name] = "hop";
        }
        context.Request.Headers["X-Secretive"] = "kept";

        var head = Write(context);

        Assert.All(listed, name => Assert.Empty(head.Values(name)));
        Assert.Empty(head.Values("Connection"));
        Assert.Equal("kept", head.Single("X-Secretive"));
    }

    [Fact]
    public void Write_ConnectionListsOurOwnHeaders_OursStillSent()
    {
        var context = Request();
        context.Request.Headers.Connection = "Host, X-Forwarded-For, X-Request-Id";

        var head = Write(context);

        Assert.Equal("10.0.0.1:3000", head.Single("Host"));
        Assert.Equal(Forwarded.For, head.Single("X-Forwarded-For"));
        Assert.Equal("req-1", head.Single("X-Request-Id"));
    }

    // --- Forwarding headers ---

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Write_ClientForwardingHeaders_ReplacedByOurs(bool trustedPeer)
    {
        var context = Request(method: "POST");
        context.Request.Headers["X-Forwarded-For"] = "6.6.6.6";
        context.Request.Headers["x-forwarded-proto"] = "http";
        context.Request.Headers["X-Forwarded-Host"] = "evil.test";
        context.Request.Headers["X-Request-Id"] = "forged";
        context.Request.Headers.ContentLength = 5;

        var head = Write(context, trustedPeer: trustedPeer, requestId: "ours-1");

        // ForwardedValues decides what to believe from a trusted peer; the writer sends exactly its values, once.
        Assert.Equal(Forwarded.For, head.Single("X-Forwarded-For"));
        Assert.Equal(Forwarded.Proto, head.Single("X-Forwarded-Proto"));
        Assert.Equal(Forwarded.Host, head.Single("X-Forwarded-Host"));
        Assert.Equal("ours-1", head.Single("X-Request-Id"));
        Assert.Equal("5", head.Single("Content-Length"));
    }

    [Theory]
    [InlineData(false, null)]
    [InlineData(true, "for=198.51.100.1;proto=https")]
    public void Write_Forwarded_DroppedUnlessPeerTrusted(bool trustedPeer, string? expected)
    {
        var context = Request();
        context.Request.Headers["Forwarded"] = "for=198.51.100.1;proto=https";

        var head = Write(context, trustedPeer: trustedPeer);

        string[] want = expected is null ? [] : [expected];
        Assert.Equal(want, head.Values("Forwarded"));
    }

    // --- End-to-end headers ---

    [Theory]
    [InlineData(new[] { "a=1" }, "a=1")]
    [InlineData(new[] { "a=1; b=2" }, "a=1; b=2")]
    [InlineData(new[] { "a=1", "b=2" }, "a=1; b=2")]
    [InlineData(new[] { "a=1", "b=2; c=3", "d=4" }, "a=1; b=2; c=3; d=4")]
    public void Write_CookieValues_JoinedIntoOneField(string[] cookies, string expected)
    {
        var context = Request();
        context.Request.Headers.Cookie = cookies;

        Assert.Equal(expected, Write(context).Single("Cookie"));
    }

    [Fact]
    public void Write_OtherRepeatedHeaders_OneLineEach()
    {
        var context = Request();
        context.Request.Headers.Accept = new[] { "text/html", "application/json" };

        Assert.Equal(new[] { "text/html", "application/json" }, Write(context).Values("Accept"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData(0L)]
    [InlineData(5L)]
    [InlineData(1048576L)]
    [InlineData(10_000_000_000L)]
    public void Write_ContentLength_FromRequestContentLength(long? contentLength)
    {
        var context = Request(method: "POST");
        context.Request.ContentLength = contentLength;

        var values = Write(context).Values("Content-Length");

        string[] want = contentLength is { } n ? [n.ToString(System.Globalization.CultureInfo.InvariantCulture)] : [];
        Assert.Equal(want, values);
    }

    [Fact]
    public void Write_HeadLargerThanInitialBuffer_WrittenCompletely()
    {
        var context = Request();
        var big = new string('v', 10_000);
        context.Request.Headers["X-Big-1"] = big;
        context.Request.Headers["X-Big-2"] = big;

        var head = Write(context);

        Assert.Equal(big, head.Single("X-Big-1"));
        Assert.Equal(big, head.Single("X-Big-2"));
        Assert.Equal("req-1", head.Single("X-Request-Id"));
    }

    [Fact]
    public void Write_Latin1HeaderValue_SentAsLatin1Bytes()
    {
        var context = Request();
        context.Request.Headers["X-Name"] = "caf\u00e9";

        Assert.Equal("caf\u00e9", Write(context).Single("X-Name"));
    }
}
