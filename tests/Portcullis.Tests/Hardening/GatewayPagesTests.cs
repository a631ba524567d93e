using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Portcullis.Hardening;

namespace Portcullis.Tests.Hardening;

public sealed class GatewayPagesTests
{
    private const string RequestId = "0123456789abcdef0123456789abcdef";

    private static async Task<(HttpResponse Response, string Body)> WriteAsync(int status, string requestId = RequestId, string method = "GET")
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        var body = new MemoryStream();
        context.Response.Body = body;

        await GatewayPages.WriteAsync(context, status, requestId);

        return (context.Response, Encoding.UTF8.GetString(body.ToArray()));
    }

    [Fact]
    public async Task WriteAsync_Page_CspHashMatchesInlineStyle()
    {
        var (response, body) = await WriteAsync(502);

        var styles = Regex.Matches(body, "<style>(.*?)</style>", RegexOptions.Singleline);
        var style = Assert.Single(styles).Groups[1].Value;
        Assert.NotEmpty(style);
        var hash = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(style)));

        var csp = response.Headers.ContentSecurityPolicy.ToString();
        Assert.Contains($"style-src 'sha256-{hash}'", csp, StringComparison.Ordinal);
        Assert.Equal(GatewayPages.ContentSecurityPolicy, csp);
    }

    [Fact]
    public async Task WriteAsync_Page_NoOtherInlineCodeOrSources()
    {
        var (response, body) = await WriteAsync(404);

        // The CSP allows only the hashed style: a script, a style attribute or a second style block would be blocked.
        Assert.DoesNotContain("<script", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(" style=", body, StringComparison.OrdinalIgnoreCase);
        var csp = response.Headers.ContentSecurityPolicy.ToString();
        Assert.StartsWith("default-src 'none';", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("form-action 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("base-uri 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe", csp, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteAsync_HostileRequestId_HtmlEncoded()
    {
        var (_, body) = await WriteAsync(400, "<script>alert('x')</script>&\"");

        Assert.DoesNotContain("<script>", body, StringComparison.Ordinal);
        Assert.Contains("<code>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;</code>", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteAsync_RequestId_ShownInFooter()
    {
        var (_, body) = await WriteAsync(503);

        Assert.Contains($"Request ID <code>{RequestId}</code>", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(400, "400 Bad Request")]
    [InlineData(403, "403 Forbidden")]
    [InlineData(404, "404 Not Found")]
    [InlineData(408, "408 Request Timeout")]
    [InlineData(413, "413 Content Too Large")]
    [InlineData(421, "421 Misdirected Request")]
    [InlineData(429, "429 Too Many Requests")]
    [InlineData(502, "502 Bad Gateway")]
    [InlineData(503, "503 Service Unavailable")]
    [InlineData(504, "504 Gateway Timeout")]
    [InlineData(500, "500 Error")]
    [InlineData(418, "418 Error")]
    public async Task WriteAsync_Status_SetsStatusAndTitle(int status, string title)
    {
        var (response, body) = await WriteAsync(status);

        Assert.Equal(status, response.StatusCode);
        Assert.Contains($"<title>{title}</title>", body, StringComparison.Ordinal);
        Assert.Contains($"<h1>{title}</h1>", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteAsync_Page_HeadersForbidCachingAndFraming()
    {
        var (response, _) = await WriteAsync(502);

        Assert.Equal("no-store", response.Headers.CacheControl);
        Assert.Equal("DENY", response.Headers.XFrameOptions);
        Assert.Equal("text/html; charset=utf-8", response.ContentType);
    }

    [Fact]
    public async Task WriteAsync_Get_ContentLengthMatchesBody()
    {
        var context = new DefaultHttpContext();
        var body = new MemoryStream();
        context.Response.Body = body;

        await GatewayPages.WriteAsync(context, 502, "caf\u00e9-\u00b7"); // multi-byte characters: bytes, not chars

        Assert.True(body.Length > 0);
        Assert.Equal(body.Length, context.Response.ContentLength);
    }

    [Theory]
    [InlineData("HEAD")]
    [InlineData("head")]
    public async Task WriteAsync_Head_WritesHeadersButNoBody(string method)
    {
        var (get, getBody) = await WriteAsync(404);
        var (head, headBody) = await WriteAsync(404, method: method);

        Assert.Empty(headBody);
        Assert.Equal(404, head.StatusCode);
        Assert.Equal(Encoding.UTF8.GetByteCount(getBody), head.ContentLength); // same length a GET would get (RFC 9110 §9.3.2)
        Assert.Equal(get.ContentLength, head.ContentLength);
        Assert.Equal("no-store", head.Headers.CacheControl);
        Assert.Equal(GatewayPages.ContentSecurityPolicy, head.Headers.ContentSecurityPolicy);
    }

    [Fact]
    public async Task WriteAsync_Page_RevealsNoVersion()
    {
        var (response, body) = await WriteAsync(502);

        Assert.DoesNotMatch(@"\d+\.\d+\.\d+", body);
        Assert.False(response.Headers.ContainsKey("Server"));
    }
}
