using System.Net;
using System.Text;
using Portcullis.CrsTest;

namespace Portcullis.Tests.CrsTest;

public sealed class AlbedoOriginTests : IAsyncLifetime, IDisposable
{
    private AlbedoOrigin _albedo = null!;
    private readonly HttpClient _client = new();

    public async Task InitializeAsync()
    {
        _albedo = await AlbedoOrigin.StartAsync();
        _client.BaseAddress = _albedo.BaseAddress;
    }

    public async Task DisposeAsync() => await _albedo.DisposeAsync();

    public void Dispose() => _client.Dispose();

    private async Task<HttpResponseMessage> ReflectAsync(string json, string path = "/reflect")
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        return await _client.PostAsync(new Uri(path, UriKind.Relative), content);
    }

    [Theory]
    [InlineData("GET", "/")]
    [InlineData("GET", "/reflect")]
    [InlineData("POST", "/post?x=1")]
    [InlineData("OPTIONS", "/anything/else")]
    [InlineData("DELETE", "/reflection")]
    public async Task Request_AnyButReflect_Answers200Empty(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative)) { Content = new StringContent("a=b") };

        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        Assert.Null(response.Content.Headers.ContentType);
        Assert.False(response.Headers.Contains("Server"));
    }

    [Fact]
    public async Task Reflect_Spec_AnswersStatusHeadersAndSniffedBody()
    {
        using var response = await ReflectAsync("""{"status": 403, "headers": {"x-reflected": "yes"}, "body": "<title>r57 Shell</title>"}""");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("yes", response.Headers.GetValues("X-Reflected").Single());
        Assert.Equal("text/html; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.Equal("<title>r57 Shell</title>", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Reflect_EncodedBodyAndOwnContentType_SentAsGiven()
    {
        using var response = await ReflectAsync("""{"Headers": {"Content-Type": "application/json"}, "encodedBody": "eyJhIjogMX0=", "logMessage": "t1"}""", "/reflect/sub");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.ToString());
        Assert.Equal("{\"a\": 1}", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("{\"body\": ", 400, "Invalid JSON in request body")]
    [InlineData("{\"status\": \"200\"}", 400, "Invalid JSON in request body")]
    [InlineData("{\"status\": 99, \"headers\": {\"X-Kept\": \"1\"}}", 400, "Invalid status code: 99")]
    [InlineData("{\"status\": 600}", 400, "Invalid status code: 600")]
    [InlineData("{\"status\": 202, \"encodedBody\": \"%%%\"}", 202, "invalid base64 encoding of response body")]
    [InlineData("{\"status\": null, \"unknown\": 1}", 200, "")]
    [InlineData("{\"noJavascriptError\": \"SOGo requires Javascript\"}", 200, "")]
    [InlineData("{\"body\": \"b\", \"encodedBody\": \"YQ==\"}", 200, "b")]
    public async Task Reflect_EdgeCases_AnswerAsAlbedo(string json, int status, string body)
    {
        using var response = await ReflectAsync(json);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(body, await response.Content.ReadAsStringAsync());
        Assert.Equal(json.Contains("X-Kept", StringComparison.Ordinal), response.Headers.Contains("X-Kept"));
    }

    [Fact]
    public async Task Reflect_HeaderWithLineBreakOrBadName_CleanedOrDropped()
    {
        using var response = await ReflectAsync("""{"headers": {"X-Split": "a\r\nInjected: 1", "Bad Name": "x"}}""");

        Assert.Equal("a  Injected: 1", response.Headers.GetValues("X-Split").Single());
        Assert.False(response.Headers.Contains("Injected"));
        Assert.Equal(1, response.Headers.Count(h => h.Key.StartsWith("X-", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Reflect_ThroughFtwClient_RawBytesOfACrsStage()
    {
        var input = new FtwInput
        {
            Method = "POST",
            Uri = "/reflect",
            Headers = [new("Host", "localhost"), new("Content-Type", "application/json")],
            Data = """{"body": "java.lang.NullPointerException"}""",
        };

        var response = await new FtwClient().SendAsync(FtwRequestBuilder.Build(input), new FtwEndpoint("127.0.0.1", _albedo.Port), default);

        Assert.Null(response.Error);
        Assert.Equal(200, response.Status);
        Assert.Equal("java.lang.NullPointerException", Encoding.Latin1.GetString(response.RawBody));
        Assert.Contains("Content-Type: text/plain; charset=utf-8\r\n", Encoding.Latin1.GetString(response.RawHead), StringComparison.Ordinal);
    }
}
