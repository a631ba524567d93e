using System.Buffers;
using System.Net;
using System.Text.Json;
using Portcullis.Observability;

namespace Portcullis.Tests.Observability;

public sealed class AccessLogFormatterTests
{
    private static RequestEvent FullEvent() => new()
    {
        Timestamp = new DateTimeOffset(2025, 3, 4, 5, 6, 7, 89, TimeSpan.Zero),
        RequestId = "0123456789abcdef0123456789abcdef",
        ClientIp = IPAddress.Parse("203.0.113.7"),
        PeerIp = IPAddress.Parse("10.0.0.2"),
        ClientPort = 51234,
        Method = "GET",
        Host = "example.com",
        Path = "/api/items",
        Query = "page=2&q=a%20b",
        Protocol = "HTTP/2",
        Scheme = "https",
        UserAgent = "curl/8.5.0",
        Referrer = "https://example.com/",
        TlsProtocol = "Tls13",
        TlsServerName = "example.com",
        Site = "shop",
        Route = "/api",
        Upstream = "http://127.0.0.1:8080",
        StatusCode = 201,
        BytesIn = 12,
        BytesOut = 3456,
        Duration = TimeSpan.FromMilliseconds(12.5),
        UpstreamDuration = TimeSpan.FromMilliseconds(10.25),
        Outcome = "forwarded",
        Error = "upstream reset",
    };

    private static JsonElement Parse(RequestEvent e)
    {
        using var document = JsonDocument.Parse(AccessLogFormatter.Format(e));
        return document.RootElement.Clone();
    }

    private static bool Has(JsonElement root, string name) => root.TryGetProperty(name, out _);

    [Fact]
    public void Format_FullEvent_WritesEcsFieldsWithValues()
    {
        var root = Parse(FullEvent());

        Assert.Equal(JsonValueKind.Object, root.ValueKind);
        Assert.Equal("2025-03-04T05:06:07.089Z", root.GetProperty("@timestamp").GetString());
        Assert.Equal("203.0.113.7", root.GetProperty("client.ip").GetString());
        Assert.Equal(51234, root.GetProperty("client.port").GetInt32());
        Assert.Equal("10.0.0.2", root.GetProperty("source.ip").GetString());
        Assert.Equal("GET", root.GetProperty("http.request.method").GetString());
        Assert.Equal("0123456789abcdef0123456789abcdef", root.GetProperty("http.request.id").GetString());
        Assert.Equal("2", root.GetProperty("http.version").GetString());
        Assert.Equal("https", root.GetProperty("url.scheme").GetString());
        Assert.Equal("example.com", root.GetProperty("url.domain").GetString());
        Assert.Equal("/api/items", root.GetProperty("url.path").GetString());
        Assert.Equal("page=2&q=a%20b", root.GetProperty("url.query").GetString());
        Assert.Equal(201, root.GetProperty("http.response.status_code").GetInt32());
        Assert.Equal(12, root.GetProperty("http.request.body.bytes").GetInt64());
        Assert.Equal(3456, root.GetProperty("http.response.body.bytes").GetInt64());
        Assert.Equal("curl/8.5.0", root.GetProperty("user_agent.original").GetString());
        Assert.Equal("https://example.com/", root.GetProperty("http.request.referrer").GetString());
        Assert.Equal("1.3", root.GetProperty("tls.version").GetString());
        Assert.Equal("tls", root.GetProperty("tls.version_protocol").GetString());
        Assert.Equal("example.com", root.GetProperty("tls.client.server_name").GetString());
        Assert.Equal("shop", root.GetProperty("portcullis.site").GetString());
        Assert.Equal("/api", root.GetProperty("portcullis.route").GetString());
        Assert.Equal("http://127.0.0.1:8080", root.GetProperty("portcullis.upstream").GetString());
        Assert.Equal(10.25, root.GetProperty("portcullis.upstream_duration_ms").GetDouble());
        Assert.Equal("success", root.GetProperty("event.outcome").GetString());
        Assert.Equal("forwarded", root.GetProperty("portcullis.outcome").GetString());
        Assert.Equal("upstream reset", root.GetProperty("error.message").GetString());
    }

    [Fact]
    public void Format_FullEvent_IsOneFlatObjectOnOneLine()
    {
        var bytes = AccessLogFormatter.Format(FullEvent());
        var root = Parse(FullEvent());

        Assert.DoesNotContain((byte)'\n', bytes);
        foreach (var property in root.EnumerateObject())
            Assert.NotEqual(JsonValueKind.Object, property.Value.ValueKind);
    }

    [Fact]
    public void Format_Duration_IsNanosecondsAsInteger()
    {
        var e = FullEvent();
        e.Duration = TimeSpan.FromTicks(12_345_678); // 1.2345678 s

        var duration = Parse(e).GetProperty("event.duration");

        Assert.Equal(1_234_567_800L, duration.GetInt64());
        Assert.DoesNotContain('.', duration.GetRawText());
    }

    [Fact]
    public void Format_NullFields_AreOmitted()
    {
        var e = FullEvent();
        e.ClientIp = null;
        e.PeerIp = null;
        e.UserAgent = null;
        e.Referrer = null;
        e.TlsProtocol = null;
        e.TlsServerName = null;
        e.Site = null;
        e.Route = null;
        e.Upstream = null;
        e.UpstreamDuration = null;
        e.Error = null;

        var root = Parse(e);

        foreach (var name in new[]
                 {
                     "client.ip", "source.ip", "user_agent.original", "http.request.referrer", "tls.version",
                     "tls.version_protocol", "tls.client.server_name", "portcullis.site", "portcullis.route",
                     "portcullis.upstream", "portcullis.upstream_duration_ms", "error.message",
                 })
        {
            Assert.False(Has(root, name), name);
        }

        foreach (var property in root.EnumerateObject())
            Assert.NotEqual(JsonValueKind.Null, property.Value.ValueKind);
        Assert.True(Has(root, "http.response.status_code"));
    }

    [Fact]
    public void Format_EmptyQuery_OmitsUrlQuery()
    {
        var e = FullEvent();
        e.Query = "";

        Assert.False(Has(Parse(e), "url.query"));
    }

    [Fact]
    public void Format_NonUtcTimestamp_WritesUtcWithMilliseconds()
    {
        var e = FullEvent();
        e.Timestamp = new DateTimeOffset(2025, 12, 31, 23, 30, 0, 5, TimeSpan.FromHours(-2));

        Assert.Equal("2026-01-01T01:30:00.005Z", Parse(e).GetProperty("@timestamp").GetString());
    }

    [Theory]
    [InlineData("HTTP/1.1", "1.1")]
    [InlineData("HTTP/2", "2")]
    [InlineData("HTTP/1.0", "1.0")]
    public void Format_Protocol_WritesEcsHttpVersion(string protocol, string expected)
    {
        var e = FullEvent();
        e.Protocol = protocol;

        Assert.Equal(expected, Parse(e).GetProperty("http.version").GetString());
    }

    [Theory]
    [InlineData(200, "success")]
    [InlineData(404, "success")]
    [InlineData(499, "success")]
    [InlineData(500, "failure")]
    [InlineData(502, "failure")]
    public void Format_StatusCode_WritesEventOutcome(int status, string expected)
    {
        var e = FullEvent();
        e.StatusCode = status;

        Assert.Equal(expected, Parse(e).GetProperty("event.outcome").GetString());
    }

    [Theory]
    [InlineData("1.3", "1.3")]
    [InlineData("1.2", "1.2")]
    [InlineData("Tls12", "1.2")]
    [InlineData("TLSv1.3", "1.3")]
    public void Format_KnownTlsProtocol_WritesEcsVersion(string protocol, string expected)
    {
        var e = FullEvent();
        e.TlsProtocol = protocol;

        var root = Parse(e);

        Assert.Equal(expected, root.GetProperty("tls.version").GetString());
        Assert.Equal("tls", root.GetProperty("tls.version_protocol").GetString());
    }

    [Fact]
    public void Format_UnknownTlsProtocol_WritesItAsGiven()
    {
        var e = FullEvent();
        e.TlsProtocol = "Quic9";

        var root = Parse(e);

        Assert.Equal("Quic9", root.GetProperty("tls.version").GetString());
        Assert.False(Has(root, "tls.version_protocol"));
    }

    [Fact]
    public void Format_Ipv6Addresses_WritesTextForm()
    {
        var e = FullEvent();
        e.ClientIp = IPAddress.Parse("2001:db8::1");
        e.PeerIp = IPAddress.Parse("::ffff:192.0.2.1");

        var root = Parse(e);

        Assert.Equal("2001:db8::1", root.GetProperty("client.ip").GetString());
        Assert.Equal("::ffff:192.0.2.1", root.GetProperty("source.ip").GetString());
    }

    [Fact]
    public void Format_HostileStrings_StayOneLineOfValidJson()
    {
        var e = FullEvent();
        e.UserAgent = "evil\"}\n{\"forged\":1\r\n\u0000\\";
        e.Path = "/a\nb";
        e.Referrer = "x\uD800y"; // lone surrogate

        var bytes = AccessLogFormatter.Format(e);
        var root = Parse(e);

        Assert.DoesNotContain((byte)'\n', bytes);
        Assert.DoesNotContain((byte)'\r', bytes);
        Assert.Equal(e.UserAgent, root.GetProperty("user_agent.original").GetString());
        Assert.Equal("/a\nb", root.GetProperty("url.path").GetString());
        Assert.False(Has(root, "forged"));
        // Invalid UTF-16 becomes U+FFFD instead of failing the line.
        Assert.Equal("x\uFFFDy", root.GetProperty("http.request.referrer").GetString());
    }

    [Fact]
    public void Write_ReusedWriter_DoesNotAllocate()
    {
        var e = FullEvent();
        var buffer = new ArrayBufferWriter<byte>(4096);
        using var writer = new Utf8JsonWriter(buffer);
        for (var i = 0; i < 100; i++)
        {
            buffer.ResetWrittenCount();
            writer.Reset();
            AccessLogFormatter.Write(writer, e);
            writer.Flush();
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            buffer.ResetWrittenCount();
            writer.Reset();
            AccessLogFormatter.Write(writer, e);
            writer.Flush();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
