using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Portcullis.Demo;

namespace Portcullis.Tests.Demo;

public sealed class DemoApplicationTests(DemoApplicationFixture fixture) : IClassFixture<DemoApplicationFixture>
{
    private readonly HttpClient _client = fixture.Client;

    [Fact]
    public void StartAsync_PortZero_BaseAddressHasBoundLoopbackPort()
    {
        var address = fixture.Application.BaseAddress;

        Assert.Equal("http", address.Scheme);
        Assert.Equal("127.0.0.1", address.Host);
        Assert.NotEqual(0, address.Port);
        Assert.Equal("/", address.AbsolutePath);
    }

    [Fact]
    public async Task Home_Get_ReturnsHtmlWithServerAndPoweredByHeaders()
    {
        using var response = await _client.GetAsync(new Uri("/", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        Assert.NotEmpty(response.Headers.Server);
        Assert.Equal(DemoApplication.PoweredBy, Assert.Single(response.Headers.GetValues("X-Powered-By")));
        var html = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/search", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Home_ForwardedHeaders_ShownHtmlEncoded()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", "203.0.113.7");
        request.Headers.TryAddWithoutValidation("X-Request-Id", "<b>id</b>");

        using var response = await _client.SendAsync(request);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Contains("203.0.113.7", html, StringComparison.Ordinal);
        Assert.Contains("&lt;b&gt;id&lt;/b&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>id</b>", html, StringComparison.Ordinal);
        Assert.Contains("(not sent)", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Home_Head_ReturnsHeadersWithoutBody()
    {
        using var request = new HttpRequestMessage(HttpMethod.Head, "/");

        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Content.Headers.ContentLength > 0);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Search_ScriptQuery_EchoedEncoded()
    {
        var html = await _client.GetStringAsync(new Uri("/search?q=" + Uri.EscapeDataString("<script>alert(1)</script>"), UriKind.Relative));

        Assert.Contains("You searched for <strong>&lt;script&gt;alert(1)&lt;/script&gt;</strong>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.Contains("No products match.", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_MatchingQuery_ListsOnlyMatchingProducts()
    {
        var html = await _client.GetStringAsync(new Uri("/search?q=KETTLE", UriKind.Relative));

        Assert.Contains("Copper kettle", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Oak bookshelf", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoginForm_Get_PostsToLogin()
    {
        var html = await _client.GetStringAsync(new Uri("/login", UriKind.Relative));

        Assert.Contains("<form method=\"post\" action=\"/login\">", html, StringComparison.Ordinal);
        Assert.Contains("name=\"username\"", html, StringComparison.Ordinal);
        Assert.Contains("name=\"password\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_DemoCredentials_Welcomes()
    {
        using var response = await PostLoginAsync("demo", "demo");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Welcome, demo", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_WrongPassword_Returns401()
    {
        using var response = await PostLoginAsync("demo", "nope");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.DoesNotContain("Welcome", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_OversizedForm_Returns413()
    {
        using var response = await PostLoginAsync("demo", new string('x', 64 * 1024));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Login_JsonBody_Returns415()
    {
        using var response = await _client.PostAsync(new Uri("/login", UriKind.Relative), JsonContent.Create(new { username = "demo" }));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task ApiItems_Get_ReturnsJsonList()
    {
        using var response = await _client.GetAsync(new Uri("/api/items", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(JsonValueKind.Array, json.RootElement.ValueKind);
        Assert.True(json.RootElement.GetArrayLength() >= DemoCatalog.Products.Count);
        Assert.Equal(1, json.RootElement[0].GetProperty("id").GetInt32());
    }

    [Fact]
    public async Task ApiItem_KnownId_ReturnsItem()
    {
        using var json = JsonDocument.Parse(await _client.GetStringAsync(new Uri("/api/items/2", UriKind.Relative)));

        Assert.Equal(2, json.RootElement.GetProperty("id").GetInt32());
        Assert.Equal(DemoCatalog.Products[1].Name, json.RootElement.GetProperty("name").GetString());
        Assert.Equal(DemoCatalog.Products[1].Price, json.RootElement.GetProperty("price").GetDecimal());
    }

    [Theory]
    [InlineData("99999")]
    [InlineData("abc")]
    public async Task ApiItem_UnknownId_Returns404Json(string id)
    {
        using var response = await _client.GetAsync(new Uri("/api/items/" + id, UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains(id, json.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApiItems_PostValidItem_Returns201AndStoresIt()
    {
        using var content = new StringContent("""{"name": "Teacup", "price": 4.5}""", Encoding.UTF8, "application/json");

        using var response = await _client.PostAsync(new Uri("/api/items", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var created = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var id = created.RootElement.GetProperty("id").GetInt32();
        Assert.Equal("Teacup", created.RootElement.GetProperty("name").GetString());
        Assert.Equal(4.5m, created.RootElement.GetProperty("price").GetDecimal());
        Assert.Equal($"/api/items/{id}", response.Headers.Location?.OriginalString);
        using var fetched = JsonDocument.Parse(await _client.GetStringAsync(response.Headers.Location));
        Assert.Equal("Teacup", fetched.RootElement.GetProperty("name").GetString());
    }

    [Theory]
    [InlineData("""{"price": 1}""")]
    [InlineData("""{"name": "x", "price": -1}""")]
    [InlineData("""{"name": "x", "price": "1"}""")]
    [InlineData("""{"name": "x",""")]
    [InlineData("null")]
    public async Task ApiItems_PostInvalidItem_Returns400Json(string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");

        using var response = await _client.PostAsync(new Uri("/api/items", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.False(string.IsNullOrEmpty(json.RootElement.GetProperty("error").GetString()));
    }

    [Fact]
    public async Task Cookie_Get_SetsSecureHttpOnlyLaxSessionCookie()
    {
        using var response = await _client.GetAsync(new Uri("/cookie", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        Assert.Matches("^demo_session=[0-9a-f]{32}; Path=/; HttpOnly; Secure; SameSite=Lax$", cookie);
        var value = cookie["demo_session=".Length..cookie.IndexOf(';', StringComparison.Ordinal)];
        Assert.Contains(value, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Healthz_Get_ReturnsOkText()
    {
        using var response = await _client.GetAsync(new Uri("/healthz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("ok", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Slow_SmallDelay_AnswersAfterIt()
    {
        using var response = await _client.GetAsync(new Uri("/slow?ms=20", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("20 ms", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/slow?ms=-1")]
    [InlineData("/slow?ms=soon")]
    [InlineData("/download?mb=1.5")]
    public async Task QueryNumber_Malformed_Returns400(string path)
    {
        using var response = await _client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Download_ThreeMiB_StreamsExactLengthOfDeterministicBytes()
    {
        const int length = 3 * 1024 * 1024;

        using var response = await _client.GetAsync(new Uri("/download?mb=3", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
        var bytes = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(length, response.Content.Headers.ContentLength);
        Assert.Equal(length, bytes.Length);
        var expected = new byte[length];
        new DemoPayload().Fill(expected);
        Assert.Equal(SHA256.HashData(expected), SHA256.HashData(bytes));
    }

    [Fact]
    public async Task Upload_Body_ReturnsByteCountAndSha256()
    {
        // Not a multiple of the server's buffer, so the last partial read is covered.
        var body = new byte[(2 * 1024 * 1024) + 12345];
        Random.Shared.NextBytes(body);
        using var content = new ByteArrayContent(body);

        using var response = await _client.PostAsync(new Uri("/upload", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(body.Length, json.RootElement.GetProperty("bytes").GetInt64());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(body)), json.RootElement.GetProperty("sha256").GetString());
    }

    [Fact]
    public async Task Upload_EmptyBody_ReturnsHashOfNothing()
    {
        using var content = new ByteArrayContent([]);

        using var response = await _client.PostAsync(new Uri("/upload", UriKind.Relative), content);

        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(0, json.RootElement.GetProperty("bytes").GetInt64());
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", json.RootElement.GetProperty("sha256").GetString());
    }

    [Fact]
    public async Task WebSocket_TextAndBinary_EchoedUntilClose()
    {
        using var socket = new ClientWebSocket();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var uri = new UriBuilder(fixture.Application.BaseAddress) { Scheme = "ws", Path = "/ws" }.Uri;
        await socket.ConnectAsync(uri, timeout.Token);

        var (textType, text) = await RoundTripAsync(socket, Encoding.UTF8.GetBytes("hello, gateway"), WebSocketMessageType.Text, timeout.Token);
        var binaryPayload = new byte[] { 0, 1, 2, 254, 255 };
        var (binaryType, binary) = await RoundTripAsync(socket, binaryPayload, WebSocketMessageType.Binary, timeout.Token);
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token);

        Assert.Equal(WebSocketMessageType.Text, textType);
        Assert.Equal("hello, gateway", Encoding.UTF8.GetString(text));
        Assert.Equal(WebSocketMessageType.Binary, binaryType);
        Assert.Equal(binaryPayload, binary);
        Assert.Equal(WebSocketState.Closed, socket.State);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, socket.CloseStatus);
    }

    [Fact]
    public async Task WebSocket_PlainGet_Returns400()
    {
        using var response = await _client.GetAsync(new Uri("/ws", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [InlineData("/nope")]
    [InlineData("/robots.txt")]
    [InlineData("/api/items/1/extra")]
    public async Task UnknownPath_Get_Returns404Page(string path)
    {
        using var response = await _client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(DemoApplication.PoweredBy, Assert.Single(response.Headers.GetValues("X-Powered-By")));
    }

    [Fact]
    public async Task StartAsync_PortInUse_Throws()
    {
        var taken = new IPEndPoint(IPAddress.Loopback, fixture.Application.BaseAddress.Port);

        await Assert.ThrowsAnyAsync<IOException>(() => DemoApplication.StartAsync(taken, CancellationToken.None));
    }

    private async Task<HttpResponseMessage> PostLoginAsync(string userName, string password)
    {
        using var form = new FormUrlEncodedContent([new("username", userName), new("password", password)]);
        return await _client.PostAsync(new Uri("/login", UriKind.Relative), form);
    }

    private static async Task<(WebSocketMessageType Type, byte[] Payload)> RoundTripAsync(
        ClientWebSocket socket, byte[] payload, WebSocketMessageType type, CancellationToken ct)
    {
        await socket.SendAsync(payload, type, endOfMessage: true, ct);
        using var received = new MemoryStream();
        var buffer = new byte[1024];
        ValueWebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer.AsMemory(), ct);
            received.Write(buffer, 0, result.Count);
        }
        while (!result.EndOfMessage);

        return (result.MessageType, received.ToArray());
    }
}
