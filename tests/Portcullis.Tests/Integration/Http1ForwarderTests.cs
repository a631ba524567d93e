using System.Net;
using System.Security.Cryptography;
using System.Text;
using Portcullis.Tests.TestSupport;

namespace Portcullis.Tests.Integration;

/// <summary>
/// The gateway's own HTTP/1.1 forwarder (Proxy/Http1) end to end: real gateway, real client, and a raw TCP upstream
/// that answers with scripted bytes, so framing, connection reuse and malformed responses can be driven exactly.
/// </summary>
public sealed class Http1ForwarderTests
{
    private const string Ok = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Type: text/plain\r\n\r\nok";

    public static TheoryData<Version> ClientVersions => new() { HttpVersion.Version11, HttpVersion.Version20 };

    private static async Task<TestGateway> GatewayFor(RawHttpUpstream upstream, string routeExtra = "") =>
        await TestGateway.StartAsync(ForwardingTests.SingleRoute($"\"{upstream.Url}\"", routeExtra));

    private static HttpClient ClientFor(TestGateway gateway, Version? version = null) =>
        gateway.CreateClient(version ?? HttpVersion.Version11, TimeSpan.FromSeconds(10));

    /// <summary>A request in the client's HTTP version (HttpRequestMessage defaults to 1.1 whatever the client says).</summary>
    private static HttpRequestMessage Request(HttpClient client, HttpMethod method, string path) =>
        new(method, "https://app.test" + path) { Version = client.DefaultRequestVersion, VersionPolicy = client.DefaultVersionPolicy };

    private static async Task<(HttpStatusCode Status, string Body)> GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri("https://app.test" + path));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    // --- Connection reuse ---

    [Theory]
    [MemberData(nameof(ClientVersions))]
    public async Task Forward_SequentialRequests_ReuseOneUpstreamConnection(Version version)
    {
        await using var upstream = RawHttpUpstream.Start(Ok);
        await using var gateway = await GatewayFor(upstream);
        using var client = ClientFor(gateway, version);

        for (var i = 0; i < 10; i++)
        {
            Assert.Equal((HttpStatusCode.OK, "ok"), await GetAsync(client, $"/r{i}"));
        }

        Assert.Equal(10, upstream.Requests.Count);
        Assert.Equal(1, upstream.Connections);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"/r{i}"), upstream.Requests.Select(r => r.Target));
    }

    [Fact]
    public async Task Forward_UpstreamClosedIdleConnection_NextRequestOnFreshConnection()
    {
        // The first answer does not announce Connection: close, but the upstream closes right after it (an idle timeout).
        await using var upstream = RawHttpUpstream.Start(r => r.Index == 0 && r.Connection == 1 ? RawReply.Of(Ok, close: true) : RawReply.Of(Ok));
        await using var gateway = await GatewayFor(upstream);
        using var client = ClientFor(gateway);

        Assert.Equal((HttpStatusCode.OK, "ok"), await GetAsync(client, "/first"));
        await upstream.WaitForClosedConnectionsAsync(1);
        Assert.Equal((HttpStatusCode.OK, "ok"), await GetAsync(client, "/second"));

        Assert.Equal(2, upstream.Connections);
        Assert.Equal(2, upstream.Requests.Count);
    }

    [Fact]
    public async Task Forward_KeptAliveConnectionClosedOnReuse_RetriedOnceOnFreshConnection()
    {
        // The upstream reads the second request on the kept-alive connection, then closes without a byte: the race
        // between reuse and an upstream idle timeout. A bodyless GET is safe to send again.
        await using var upstream = RawHttpUpstream.Start(r => r is { Connection: 1, Index: 1 } ? RawReply.CloseWithoutAnswer : RawReply.Of(Ok));
        await using var gateway = await GatewayFor(upstream);
        using var client = ClientFor(gateway);

        Assert.Equal((HttpStatusCode.OK, "ok"), await GetAsync(client, "/first"));
        Assert.Equal((HttpStatusCode.OK, "ok"), await GetAsync(client, "/second"));

        Assert.Equal(2, upstream.Connections);
        Assert.Equal(new[] { (1, "/first"), (1, "/second"), (2, "/second") }, upstream.Requests.Select(r => (r.Connection, r.Target)));
    }

    [Fact]
    public async Task Forward_KeptAliveConnectionClosedOnReuseWithBody_NotRetried502()
    {
        // The body was consumed by the first attempt, so the forwarder cannot send it again.
        await using var upstream = RawHttpUpstream.Start(r => r is { Connection: 1, Index: 1 } ? RawReply.CloseWithoutAnswer : RawReply.Of(Ok));
        await using var gateway = await GatewayFor(upstream);
        using var client = ClientFor(gateway);

        Assert.Equal((HttpStatusCode.OK, "ok"), await GetAsync(client, "/first"));
        using var response = await client.PostAsync(new Uri("https://app.test/upload"), new ByteArrayContent("payload"u8.ToArray()));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal(2, upstream.Requests.Count);
        Assert.Equal("payload"u8.ToArray(), upstream.Requests[1].Body);
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("PATCH")]
    public async Task Forward_KeptAliveConnectionClosedOnReuseNonIdempotent_NotRetried502(string method)
    {
        await using var upstream = RawHttpUpstream.Start(r => r is { Connection: 1, Index: 1 } ? RawReply.CloseWithoutAnswer : RawReply.Of(Ok));
        await using var gateway = await GatewayFor(upstream);
        using var client = ClientFor(gateway);

        Assert.Equal((HttpStatusCode.OK, "ok"), await GetAsync(client, "/first"));
        using var request = Request(client, new HttpMethod(method), "/items/7");
        request.Content = new ByteArrayContent([]);
        using var response = await client.SendAsync(request);

        // The upstream may have acted on the request before closing; it must see it once.
        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Single(upstream.Requests, r => r.Method == method);
    }

    // --- Response framing ---

    [Theory]
    [MemberData(nameof(ClientVersions))]
    public async Task Forward_ChunkedResponseWithExtensionsAndTrailers_DecodedAndComplete(Version version)
    {
        const string Chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\nTrailer: X-Checksum\r\n\r\n" +
            "5;name=value\r\nhello\r\n" +
            "2 ; a ; b=\"q\"\r\n, \r\n" +
            "A\r\nchunked wo\r\n" +
            "3\r\nrld\r\n" +
            "0;last\r\nX-Checksum: abc\r\nX-Other-Trailer: 1\r\n\r\n";
        await using var upstream = RawHttpUpstream.Start(Chunked);
        await using var gateway = await GatewayFor(upstream);
        using var client = ClientFor(gateway, version);

        using var response = await client.GetAsync(new Uri("https://app.test/chunked"));
        var body = await response.Content.ReadAsStringAsync();
        var again = await GetAsync(client, "/again");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("hello, chunked world", body);
        Assert.False(response.Headers.Contains("Trailer"));
        Assert.Empty(response.TrailingHeaders);
        // The terminating chunk and trailers were read to the end: the connection carried the next request.
        Assert.Equal((HttpStatusCode.OK, "hello, chunked world"), again);
        Assert.Equal(1, upstream.Connections);
        // No Content-Length anywhere: the access log's byte count is what was actually copied.
        var e = await gateway.WaitForEventAsync(Assert.Single(response.Headers.GetValues("X-Request-Id")));
        Assert.True(e.BytesCounted);
        Assert.Equal(20, e.BytesOut);
    }

    [Fact]
    public async Task Forward_PostBody_CountedInTheEvent()
    {
        await using var upstream = RawHttpUpstream.Start(Ok);
        await using var gateway = await GatewayFor(upstream);
        using var client = ClientFor(gateway);

        using var response = await client.PostAsync(new Uri("https://app.test/form"), new ByteArrayContent(new byte[3000]));
        var e = await gateway.WaitForEventAsync(Assert.Single(response.Headers.GetValues("X-Request-Id")));

        Assert.Equal(3000, e.BytesIn);
        Assert.Equal(2, e.BytesOut);
    }

    [Theory]
    [MemberData(nameof(ClientVersions))]
    public async Task Forward_LargeChunkedResponse_ChunksAcrossReadsDecodedExactly(Version version)
    {
        // 300 chunks of varying sizes (1 byte .. ~4 KB, hex upper and lower case): chunk lines and data straddle every read boundary.
        var random = new Random(1234);
        var payload = new MemoryStream();
        var wire = new MemoryStream();
        wire.Write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"u8);
        for (var i = 0; i < 300; i++)
        {
            var chunk = new byte[random.Next(1, 4097)];
            random.NextBytes(chunk);
            payload.Write(chunk);
            wire.Write(Encoding.ASCII.GetBytes((i % 2 == 0 ? chunk.Length.ToString("x", null) : chunk.Length.ToString("X", null)) + "\r\n"));
            wire.Write(chunk);
            wire.Write("\r\n"u8);
        }
        wire.Write("0\r\n\r\n"u8);
        await using var upstream = RawHttpUpstream.Start(_ => new RawReply(wire.ToArray()));
        await using var gateway = await GatewayFor(upstream);
        using var client = ClientFor(gateway, version);

        using var response = await client.GetAsync(new Uri("https://app.test/big-chunked"));
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(payload.ToArray(), body);
    }

    [Theory]
    [MemberData(nameof(ClientVersions))]
    public async Task Forward_CloseDelimitedResponse_CompleteAndNextRequestReconnects(Version version)
    {
        var body = string.Concat(Enumerable.Range(0, 2000).Select(i => $"line {i}\n"));
        await using var upstream = RawHttpUpstream.Start(_ => RawReply.Of("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Type: text/plain\r\n\r\n" + body, close: true));
        await using var gateway = await GatewayFor(upstream);
        using var client = ClientFor(gateway, version);

        var first = await GetAsync(client, "/one");
        var second = await GetAsync(client, "/two");

        Assert.Equal((HttpStatusCode.OK, body), first);
        Assert.Equal((HttpStatusCode.OK, body), second);
        Assert.Equal(2, upstream.Connections);
    }

    [Theory]
    [InlineData("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nten bytes!", "ten bytes!")]
    [InlineData("HTTP/1.0 200 OK\r\nContent-Length: 5\r\n\r\nhello", "hello")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello", "hello")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n5\r\nhello\r\n0\r\n\r\n", "hello")]
    public async Task Forward_ResponseThatEndsTheConnection_NextRequestReconnects(string reply, string expectedBody)
    {
        // HTTP/1.0 without keep-alive, Connection: close, close-delimited and TE+CL responses all forbid reuse.
        await using var upstream = RawHttpUpstream.Start(_ => RawReply.Of(reply, close: true));
        await using var gateway = await GatewayFor(upstream);
        using var client = ClientFor(gateway);

        Assert.Equal((HttpStatusCode.OK, expectedBody), await GetAsync(client, "/one"));
        Assert.Equal((HttpStatusCode.OK, expectedBody), await GetAsync(client, "/two"));

        Assert.Equal(2, upstream.Connections);
    }

    [Fact]
    public async Task Forward_ResponseLongerThanContentLength_ExtraBytesNeverServed()
    {
        // A second, unrequested response behind the first must not be handed to the next client request.
        await using var upstream = RawHttpUpstream.Start(r => r.Connection == 1
            ? RawReply.Of("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhelloHTTP/1.1 200 OK\r\nContent-Length: 8\r\n\r\nsmuggled")
            : RawReply.Of(Ok));
        await using var gateway = await GatewayFor(upstream);
        using var client = ClientFor(gateway);

        var first = await GetAsync(client, "/one");
        var second = await GetAsync(client, "/two");

        Assert.Equal((HttpStatusCode.OK, "hello"), first);
        Assert.Equal((HttpStatusCode.OK, "ok"), second);
        Assert.Equal(2, upstream.Connections);
    }

    [Theory]
    [MemberData(nameof(ClientVersions))]
    public async Task Forward_InformationalResponses_SkippedBeforeFinal(Version version)
    {
        await using var upstream = RawHttpUpstream.Start(
            "HTTP/1.1 100 Continue\r\n\r\n" +
            "HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload; as=style\r\n\r\n" +
            "HTTP/1.1 201 Created\r\nContent-Length: 4\r\nLocation: /items/1\r\n\r\ndone");
        await using var gateway = await GatewayFor(upstream);
        using var client = ClientFor(gateway, version);

        using var response = await client.GetAsync(new Uri("https://app.test/items"));
        var body = await response.Content.ReadAsStringAsync();
        var again = await GetAsync(client, "/again");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("done", body);
        Assert.Equal("/items/1", response.Headers.Location?.OriginalString);
        Assert.False(response.Headers.Contains("Link"));
        Assert.Equal((HttpStatusCode.Created, "done"), again);
        Assert.Equal(1, upstream.Connections);
    }

    [Theory]
    [MemberData(nameof(ClientVersions))]
    public async Task Forward_Head_ContentLengthKeptAndNoBodyRead(Version version)
    {
        await using var upstream = RawHttpUpstream.Start(r => r.Method == "HEAD"
            ? RawReply.Of("HTTP/1.1 200 OK\r\nContent-Length: 1234\r\nContent-Type: text/plain\r\n\r\n")
            : RawReply.Of(Ok));
        await using var gateway = await GatewayFor(upstream);
        using var client = ClientFor(gateway, version);

        using var headRequest = Request(client, HttpMethod.Head, "/file");
        using var head = await client.SendAsync(headRequest);
        var headBody = await head.Content.ReadAsByteArrayAsync();
        var get = await GetAsync(client, "/next");

        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(1234, head.Content.Headers.ContentLength);
        Assert.Empty(headBody);
        // The gateway did not wait for 1234 body bytes: the same connection answered the GET.
        Assert.Equal((HttpStatusCode.OK, "ok"), get);
        Assert.Equal("HEAD", upstream.Requests[0].Method);
        Assert.Equal(1, upstream.Connections);
    }

    [Theory]
    [InlineData("HTTP/1.1 204 No Content\r\nX-Done: 1\r\n\r\n", HttpStatusCode.NoContent)]
    [InlineData("HTTP/1.1 304 Not Modified\r\nETag: \"v1\"\r\nX-Done: 1\r\n\r\n", HttpStatusCode.NotModified)]
    [InlineData("HTTP/1.1 304 Not Modified\r\nETag: \"v1\"\r\nContent-Length: 1234\r\nX-Done: 1\r\n\r\n", HttpStatusCode.NotModified)]
    public async Task Forward_NoContentAndNotModified_NoBodyAndConnectionReused(string reply, HttpStatusCode expected)
    {
        await using var upstream = RawHttpUpstream.Start(RawReply.Of(reply), RawReply.Of(Ok));
        await using var gateway = await GatewayFor(upstream);
        using var client = ClientFor(gateway);

        using var response = await client.GetAsync(new Uri("https://app.test/resource"));
        var body = await response.Content.ReadAsByteArrayAsync();
        var next = await GetAsync(client, "/next");

        Assert.Equal(expected, response.StatusCode);
        Assert.Empty(body);
        Assert.Equal("1", Assert.Single(response.Headers.GetValues("X-Done")));
        Assert.Equal((HttpStatusCode.OK, "ok"), next);
        Assert.Equal(1, upstream.Connections);
    }

    // --- Malformed responses ---

    public static TheoryData<string, string> MalformedBeforeBody => new()
    {
        { "bad status line", "HTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok" },
        { "not http", "SSH-2.0-OpenSSH_9.6\r\n\r\n" },
        { "HTTP/2 status line", "HTTP/2 200\r\ncontent-length: 2\r\n\r\nok" },
        { "obs-fold", "HTTP/1.1 200 OK\r\nX-A: one\r\n two\r\nContent-Length: 2\r\n\r\nok" },
        { "space before colon", "HTTP/1.1 200 OK\r\nContent-Length : 2\r\n\r\nok" },
        { "control character", "HTTP/1.1 200 OK\r\nX-A: a\u0001b\r\nContent-Length: 2\r\n\r\nok" },
        { "conflicting Content-Length", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nok!" },
        { "Content-Length list", "HTTP/1.1 200 OK\r\nContent-Length: 2, 3\r\n\r\nok!" },
        { "non-digit Content-Length", "HTTP/1.1 200 OK\r\nContent-Length: 2x\r\n\r\nok" },
        { "chunk size garbage", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nok\r\n0\r\n\r\n" },
        { "chunk size overflow", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1234567890abcdef0\r\nok\r\n0\r\n\r\n" },
        { "truncated before body", "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n" },
        { "truncated before first chunk", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" },
        { "truncated head", "HTTP/1.1 200 OK\r\nContent-Le" },
        { "closed without answer", "" },
        { "head over 64 KB", "HTTP/1.1 200 OK\r\n" + string.Concat(Enumerable.Range(0, 800).Select(i => $"X-Filler-{i:D4}: {new string('f', 80)}\r\n")) + "\r\n" },
    };

    [Theory]
    [MemberData(nameof(MalformedBeforeBody))]
    public async Task Forward_MalformedResponseBeforeAnyBodyByte_502(string scenario, string reply)
    {
        await using var upstream = RawHttpUpstream.Start(_ => RawReply.Of(reply, close: true));
        await using var gateway = await GatewayFor(upstream);
        using var client = ClientFor(gateway);

        using var response = await client.GetAsync(new Uri("https://app.test/broken"));
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.BadGateway, $"{scenario}: got {(int)response.StatusCode}");
        Assert.Contains("502 Bad Gateway", body, StringComparison.Ordinal);
        Assert.False(response.Headers.Contains("X-A"));
        var e = await gateway.WaitForEventAsync(Assert.Single(response.Headers.GetValues("X-Request-Id")));
        Assert.Equal("upstream_error", e.Outcome);
        Assert.Equal(502, e.StatusCode);
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Disposition: attachment; filename=caf\u00e9.txt\r\nContent-Length: 2\r\n\r\nok")]
    [InlineData("HTTP/1.1 000 Zero\r\nContent-Length: 2\r\n\r\nok")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nopaque")]
    [InlineData("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n")]
    [InlineData("HTTP/1.1 099 Low\r\nContent-Length: 2\r\n\r\nok")]
    public async Task Forward_ResponseTheClientConnectionCannotCarry_502(string reply)
    {
        await using var upstream = RawHttpUpstream.Start(_ => RawReply.Of(reply, close: true));
        await using var gateway = await GatewayFor(upstream);
        using var client = ClientFor(gateway);

        using var response = await client.GetAsync(new Uri("https://app.test/odd"));

        // What YARP does for the same upstream answer (ForwarderError.ResponseHeaders): a branded 502, counted against the upstream.
        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Contains("502 Bad Gateway", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var e = await gateway.WaitForEventAsync(Assert.Single(response.Headers.GetValues("X-Request-Id")));
        Assert.Equal("upstream_error", e.Outcome);
    }

    public static TheoryData<string, string, Version> MalformedAfterBody => new()
    {
        { "truncated Content-Length body", "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly twenty bytes...", HttpVersion.Version11 },
        { "truncated Content-Length body", "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly twenty bytes...", HttpVersion.Version20 },
        { "no last chunk", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n", HttpVersion.Version11 },
        { "no last chunk", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n", HttpVersion.Version20 },
        { "chunk size garbage after data", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\nzz\r\nmore\r\n0\r\n\r\n", HttpVersion.Version11 },
        { "chunk longer than its size", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello, too long\r\n0\r\n\r\n", HttpVersion.Version20 },
    };

    [Theory]
    [MemberData(nameof(MalformedAfterBody))]
    public async Task Forward_MalformedResponseAfterBodyStarted_ClientSeesAbortedResponse(string scenario, string reply, Version version)
    {
        await using var upstream = RawHttpUpstream.Start(_ => RawReply.Of(reply, close: true));
        await using var gateway = await GatewayFor(upstream);
        using var client = ClientFor(gateway, version);

        // Headers already went out with the first body bytes, so no 502 page can follow: the gateway aborts. Over
        // HTTP/2 the client sees the 200 head and then a reset stream; over HTTP/1.1 the reset of the connection
        // can also overtake the head. Either way the client must not mistake the truncated body for a complete one.
        var failure = await Record.ExceptionAsync(async () =>
        {
            using var response = await client.GetAsync(new Uri("https://app.test/broken"), HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            await response.Content.ReadAsByteArrayAsync();
        });

        Assert.True(failure is HttpRequestException or IOException, $"{scenario}: expected an aborted response, got {failure?.ToString() ?? "a complete one"}");
        var e = await WaitForSingleEventAsync(gateway);
        Assert.Equal("upstream_error", e.Outcome);
    }

    private static async Task<Portcullis.Observability.RequestEvent> WaitForSingleEventAsync(TestGateway gateway)
    {
        for (var i = 0; i < 200 && gateway.Events.IsEmpty; i++)
        {
            await Task.Delay(10);
        }
        return Assert.Single(gateway.Events);
    }

    // --- What the upstream receives ---

    [Fact]
    public async Task Forward_RequestHead_OneUpstreamHostForwardedForAndNoHopByHop()
    {
        await using var upstream = RawHttpUpstream.Start(Ok);
        await using var gateway = await GatewayFor(upstream);
        using var client = ClientFor(gateway);
        using var request = Request(client, HttpMethod.Get, "/path%2Fraw?q=a%20b&r");
        request.Headers.Connection.Add("X-Secret");
        request.Headers.TryAddWithoutValidation("X-Secret", "for the gateway only");
        request.Headers.TryAddWithoutValidation("Keep-Alive", "timeout=5");
        request.Headers.TryAddWithoutValidation("TE", "trailers");
        request.Headers.TryAddWithoutValidation("Proxy-Connection", "keep-alive");
        request.Headers.TryAddWithoutValidation("Upgrade", "h2c");
        request.Headers.TryAddWithoutValidation("Trailer", "X-Checksum");
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", "6.6.6.6");
        request.Headers.TryAddWithoutValidation("X-Forwarded-Host", "evil.test");
        request.Headers.TryAddWithoutValidation("X-Request-Id", "forged");
        request.Headers.TryAddWithoutValidation("Forwarded", "for=6.6.6.6");
        request.Headers.TryAddWithoutValidation("X-End-To-End", "kept");

        using var response = await client.SendAsync(request);
        var seen = Assert.Single(upstream.Requests);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("GET /path%2Fraw?q=a%20b&r HTTP/1.1", seen.RequestLine);
        Assert.Equal($"127.0.0.1:{upstream.Port}", Assert.Single(seen.Values("Host")));
        Assert.Equal("127.0.0.1", seen.Header("X-Forwarded-For"));
        Assert.Equal("https", seen.Header("X-Forwarded-Proto"));
        Assert.Equal("app.test", seen.Header("X-Forwarded-Host"));
        Assert.Equal(Assert.Single(response.Headers.GetValues("X-Request-Id")), seen.Header("X-Request-Id"));
        Assert.Equal("kept", seen.Header("X-End-To-End"));
        Assert.All(new[] { "Connection", "X-Secret", "Keep-Alive", "TE", "Proxy-Connection", "Upgrade", "Trailer", "Forwarded", "Transfer-Encoding", "Content-Length" },
            name => Assert.Empty(seen.Values(name)));
    }

    [Fact]
    public async Task Forward_Http2Client_UpstreamGetsHttp11HeadWithJoinedCookies()
    {
        await using var upstream = RawHttpUpstream.Start(Ok);
        await using var gateway = await GatewayFor(upstream);
        using var client = ClientFor(gateway, HttpVersion.Version20);
        using var request = Request(client, HttpMethod.Get, "/h2?x=1");
        request.Headers.TryAddWithoutValidation("Cookie", "a=1");
        request.Headers.TryAddWithoutValidation("Cookie", "b=2");

        using var response = await client.SendAsync(request);
        var seen = Assert.Single(upstream.Requests);

        Assert.Equal(HttpVersion.Version20, response.Version);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("GET /h2?x=1 HTTP/1.1", seen.RequestLine);
        Assert.Equal($"127.0.0.1:{upstream.Port}", Assert.Single(seen.Values("Host")));
        Assert.Equal("127.0.0.1", seen.Header("X-Forwarded-For"));
        Assert.Equal("a=1; b=2", seen.Header("Cookie"));
        Assert.DoesNotContain(seen.Headers, h => h.Name.StartsWith(':'));
    }

    [Theory]
    [MemberData(nameof(ClientVersions))]
    public async Task Forward_OneMegabytePost_BodyArrivesIntact(Version version)
    {
        var payload = new byte[1024 * 1024];
        new Random(42).NextBytes(payload);
        await using var upstream = RawHttpUpstream.Start("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        await using var gateway = await GatewayFor(upstream);
        using var client = ClientFor(gateway, version);

        using var response = await client.PostAsync(new Uri("https://app.test/upload"), new ByteArrayContent(payload));
        var seen = Assert.Single(upstream.Requests);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("POST", seen.Method);
        Assert.Equal("1048576", seen.Header("Content-Length"));
        Assert.Null(seen.Header("Transfer-Encoding"));
        Assert.Equal(payload, seen.Body);
    }

    // --- What the client receives ---

    [Theory]
    [MemberData(nameof(ClientVersions))]
    public async Task Forward_ResponseHeaders_SitePolicyAppliedAndHopByHopRemoved(Version version)
    {
        await using var upstream = RawHttpUpstream.Start(
            "HTTP/1.1 200 OK\r\nServer: Apache/2.4.1 (Unix)\r\nX-Powered-By: PHP/5.4\r\nX-AspNet-Version: 4.0.30319\r\n" +
            "Set-Cookie: a=1; Path=/\r\nSet-Cookie: b=2; Path=/; HttpOnly\r\n" +
            "Connection: X-Hop\r\nX-Hop: internal\r\nKeep-Alive: timeout=5\r\nX-Request-Id: upstream-made-up\r\n" +
            "Content-Type: text/plain\r\nContent-Length: 2\r\n\r\nok");
        await using var gateway = await GatewayFor(upstream);
        using var client = ClientFor(gateway, version);

        using var response = await client.GetAsync(new Uri("https://app.test/"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Server"));
        Assert.False(response.Headers.Contains("X-Powered-By"));
        Assert.False(response.Headers.Contains("X-AspNet-Version"));
        Assert.Equal("max-age=63072000; includeSubDomains", Assert.Single(response.Headers.GetValues("Strict-Transport-Security")));
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal(new[] { "a=1; Path=/", "b=2; Path=/; HttpOnly" }, response.Headers.GetValues("Set-Cookie"));
        Assert.False(response.Headers.Contains("X-Hop"));
        Assert.False(response.Headers.Contains("Keep-Alive"));
        Assert.Matches("^[0-9a-f]{32}$", Assert.Single(response.Headers.GetValues("X-Request-Id")));
        Assert.Equal(2, response.Content.Headers.ContentLength);
        Assert.Equal("ok", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [MemberData(nameof(ClientVersions))]
    public async Task Forward_TwentyMegabyteResponse_StreamsWithCorrectLength(Version version)
    {
        const int Size = 20 * 1024 * 1024;
        var body = new byte[Size];
        new Random(7).NextBytes(body);
        byte[] wire = [.. Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: {Size}\r\n\r\n"), .. body];
        await using var upstream = RawHttpUpstream.Start(_ => new RawReply(wire));
        await using var gateway = await GatewayFor(upstream);
        using var client = ClientFor(gateway, version);

        using var response = await client.GetAsync(new Uri("https://app.test/big.bin"), HttpCompletionOption.ResponseHeadersRead);
        await using var stream = await response.Content.ReadAsStreamAsync();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[64 * 1024];
        long received = 0;
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
        {
            hash.AppendData(buffer, 0, read);
            received += read;
        }

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Size, response.Content.Headers.ContentLength);
        Assert.Equal(Size, received);
        Assert.Equal(SHA256.HashData(body), hash.GetHashAndReset());
    }
}
