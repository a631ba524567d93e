using System.Text;
using Portcullis.CrsTest;

namespace Portcullis.Tests.CrsTest;

public sealed class FtwRequestBuilderTests
{
    private static string Build(FtwInput input) => Encoding.Latin1.GetString(FtwRequestBuilder.Build(input));

    private static readonly FtwHeader[] Basic = [new("Accept", "*/*"), new("Host", "localhost"), new("User-Agent", "OWASP CRS test agent")];

    [Fact]
    public void Build_GetWithHeaders_WritesLineHeadersThenConnectionClose()
    {
        var bytes = Build(new FtwInput { Method = "GET", Uri = "/get?x=1", Version = "HTTP/1.1", Headers = Basic });

        Assert.Equal("GET /get?x=1 HTTP/1.1\r\nAccept: */*\r\nHost: localhost\r\nUser-Agent: OWASP CRS test agent\r\n"
            + "Connection: close\r\n\r\n", bytes);
    }

    [Fact]
    public void Build_NothingGiven_UsesGoFtwDefaults()
    {
        Assert.Equal("GET / HTTP/1.1\r\nConnection: close\r\n\r\n", Build(new FtwInput()));
    }

    [Fact]
    public void Build_EmptyVersion_IsSentEmpty()
    {
        Assert.StartsWith("GET / \r\n", Build(new FtwInput { Version = "" }), StringComparison.Ordinal);
    }

    [Fact]
    public void Build_FormData_AddsTypeEncodesAndCounts()
    {
        var bytes = Build(new FtwInput { Method = "POST", Uri = "/post", Headers = [new("Host", "localhost")], Data = "a=b c&d=<x>=1&é" });

        Assert.Equal("POST /post HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            + "Connection: close\r\nContent-Length: 26\r\n\r\na=b+c&d=%3Cx%3E%3D1&%C3%A9", bytes);
    }

    [Theory]
    [InlineData("a=%41", "a=%41")]
    [InlineData("a=b+c d", "a=b+c d")]
    [InlineData("a=%zz<", "a=%zz<")]
    [InlineData("a=b&", "a=b")]
    [InlineData("a=b&&c", "a=b&&c")]
    [InlineData("x:y/z", "x%3Ay%2Fz")]
    public void Build_FormData_EncodedOnlyWhenGoThinksItIsNot(string data, string body)
    {
        var bytes = Build(new FtwInput { Method = "POST", Data = data });

        Assert.EndsWith("\r\n\r\n" + body, bytes, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("application/x-www-form-urlencoded", "a=%3C")]
    [InlineData("Application/X-WWW-Form-Urlencoded", "a=%3C")]
    [InlineData("application/x-www-form-urlencoded; charset=utf-8", "a=<")]
    [InlineData("application/json", "a=<")]
    public void Build_FormData_EncodedOnlyForExactFormType(string contentType, string body)
    {
        var bytes = Build(new FtwInput { Method = "POST", Headers = [new("content-type", contentType)], Data = "a=<" });

        Assert.EndsWith("\r\n\r\n" + body, bytes, StringComparison.Ordinal);
        Assert.DoesNotContain("Content-Type:", bytes, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_Multipart_TurnsEveryLfIntoCrLfAndCountsThem()
    {
        var input = new FtwInput
        {
            Method = "POST",
            Headers = [new("Content-Type", "multipart/form-data; boundary=b")],
            Data = "--b\nContent-Disposition: form-data; name=\"a\"\n\nx\r\n--b--\n",
        };

        var bytes = Build(input);

        Assert.EndsWith("Content-Length: 60\r\n\r\n--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\r\n--b--\r\n", bytes,
            StringComparison.Ordinal);
    }

    [Fact]
    public void Build_MultipartWithoutAutocomplete_StillConvertsLineEndings()
    {
        var input = new FtwInput { AutocompleteHeaders = false, Headers = [new("Content-Type", "multipart/form-data; boundary=b")], Data = "a\nb" };

        Assert.Equal("GET / HTTP/1.1\r\nContent-Type: multipart/form-data; boundary=b\r\n\r\na\r\nb", Build(input));
    }

    [Fact]
    public void Build_AutocompleteOff_AddsNothing()
    {
        var bytes = Build(new FtwInput { Method = "POST", AutocompleteHeaders = false, Data = "a=<" });

        Assert.Equal("POST / HTTP/1.1\r\n\r\na=<", bytes);
    }

    [Fact]
    public void Build_HeadersAlreadyGiven_AreNotAddedAgain()
    {
        var input = new FtwInput
        {
            Method = "POST",
            Headers = [new("connection", "keep-alive"), new("content-length", "99"), new("CONTENT-TYPE", "text/plain")],
            Data = "x",
        };

        Assert.Equal("POST / HTTP/1.1\r\nconnection: keep-alive\r\ncontent-length: 99\r\nCONTENT-TYPE: text/plain\r\n\r\nx", Build(input));
    }

    [Theory]
    [InlineData("POST", true)]
    [InlineData("PUT", true)]
    [InlineData("PATCH", true)]
    [InlineData("DELETE", true)]
    [InlineData("POSTX", true)]
    [InlineData("XPUTX", true)]
    [InlineData("XDELETE", true)]
    [InlineData("DELETEX", false)]
    [InlineData("XPOST", false)]
    [InlineData("GET", false)]
    [InlineData("post", false)]
    public void Build_NoBody_SendsContentLengthZeroForGoFtwsBodyMethods(string method, bool contentLength)
    {
        var bytes = Build(new FtwInput { Method = method });

        Assert.Equal(contentLength, bytes.Contains("Content-Length: 0\r\n", StringComparison.Ordinal));
    }

    [Fact]
    public void Build_EncodedRequest_SentVerbatim()
    {
        byte[] raw = [.. "GET / HTTP/1.1\nHost:\n\n"u8, 0xAC, 0xED];

        var bytes = FtwRequestBuilder.Build(new FtwInput { Method = "POST", Headers = Basic, EncodedRequest = raw });

        Assert.Equal(raw, bytes);
    }

    [Fact]
    public void Build_EncodedData_UsedWhenDataIsAbsent()
    {
        var bytes = FtwRequestBuilder.Build(new FtwInput { Method = "POST", Headers = [new("Content-Type", "application/octet-stream")], EncodedData = [0x00, 0xFF] });

        Assert.Equal([.. "POST / HTTP/1.1\r\nContent-Type: application/octet-stream\r\nConnection: close\r\nContent-Length: 2\r\n\r\n"u8, 0x00, 0xFF], bytes);
    }

    [Fact]
    public void Build_Crs920400Test2_MatchesGoFtwBytes()
    {
        var suite = FtwSuite.Load(Path.Combine(CrsTestsDirectory.Tests, "REQUEST-920-PROTOCOL-ENFORCEMENT"));
        var stage = suite.Tests.Single(t => t.Id == "920400-2").Stages[0];

        var bytes = Build(stage.Input);

        var body = "----------111111\r\nContent-Disposition: form-data; name=\"smallfile\"; filename=\"file.txt\"\r\n"
            + "Content-Type: text/plain\r\n" + new string('1', 152) + "\r\n----------111111--\r\n";
        Assert.Equal("POST / HTTP/1.1\r\n"
            + "Accept: text/xml,application/xml,application/xhtml+xml,text/html;q=0.9,text/plain;q=0.8,image/png,*/*;q=0.5\r\n"
            + "Content-Type: multipart/form-data; boundary=--------111111\r\nHost: localhost\r\nUser-Agent: OWASP CRS test agent\r\n"
            + $"Connection: close\r\nContent-Length: {body.Length}\r\n\r\n" + body, bytes);
    }
}
