using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Portcullis.CrsTest;

namespace Portcullis.Tests.CrsTest;

public sealed class FtwClientTests
{
    private static readonly byte[] Get = "GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"u8.ToArray();

    private static readonly FtwClientOptions Quick = new() { ReadTimeout = TimeSpan.FromSeconds(5), BodyTimeout = TimeSpan.FromSeconds(2) };

    /// <summary>A one-connection raw server: reads the request head, then answers with <paramref name="answer"/> bytes.</summary>
    private static (int Port, Task Served) RawServer(byte[]? answer, bool close = true, X509Certificate2? certificate = null)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var served = Task.Run(async () =>
        {
            using var client = await listener.AcceptTcpClientAsync();
            Stream stream = client.GetStream();
            if (certificate is not null)
            {
                var tls = new SslStream(stream);
                await tls.AuthenticateAsServerAsync(certificate);
                stream = tls;
            }
            var buffer = new byte[4096];
            var received = new StringBuilder();
            while (!received.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                var read = await stream.ReadAsync(buffer);
                if (read == 0)
                {
                    break;
                }
                received.Append(Encoding.Latin1.GetString(buffer, 0, read));
            }
            if (answer is not null)
            {
                await stream.WriteAsync(answer);
            }
            if (!close)
            {
                await Task.Delay(1500);
            }
            listener.Stop();
        });
        return (port, served);
    }

    [Theory]
    [InlineData("HTTP/1.1 403 Forbidden\r\nContent-Length: 5\r\n\r\nnope!", 403, "nope!")]
    [InlineData("HTTP/1.0 200 OK\n\nbare LF head, body to EOF", 200, "bare LF head, body to EOF")]
    [InlineData("HTTP/1.1 204 No Content\r\n\r\n", 204, "")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n", 200, "2\r\nhi\r\n0\r\n\r\n")]
    public async Task SendAsync_Response_ReadsStatusAndBody(string answer, int status, string body)
    {
        var (port, served) = RawServer(Encoding.Latin1.GetBytes(answer), close: !answer.Contains("chunked", StringComparison.Ordinal));

        var response = await new FtwClient(Quick).SendAsync(Get, new FtwEndpoint("127.0.0.1", port), default);
        await served;

        Assert.Null(response.Error);
        Assert.Equal(status, response.Status);
        Assert.Equal(body, Encoding.Latin1.GetString(response.RawBody));
    }

    [Theory]
    [InlineData(null, "connection closed without a response")]
    [InlineData("HTTP/1.1 200 OK\r\nHost: x\r\n", "unexpected EOF")]
    [InlineData("HTTP/1.1 2000 OK\r\n\r\n", "malformed HTTP status code")]
    [InlineData("HTTP/9 200 OK\r\n\r\n", "malformed HTTP version")]
    [InlineData("garbage\r\n\r\n", "malformed HTTP response")]
    [InlineData("HTTP/1.1 200 OK\r\nno colon\r\n\r\n", "malformed MIME header line")]
    public async Task SendAsync_BadOrNoResponse_ReportsError(string? answer, string error)
    {
        var (port, served) = RawServer(answer is null ? null : Encoding.Latin1.GetBytes(answer));

        var response = await new FtwClient(Quick).SendAsync(Get, new FtwEndpoint("127.0.0.1", port), default);
        await served;

        Assert.Null(response.Status);
        Assert.True(response.Error?.Contains(error, StringComparison.Ordinal), response.Error);
    }

    [Fact]
    public async Task SendAsync_ServerSilent_TimesOut()
    {
        var (port, served) = RawServer(null, close: false);

        var response = await new FtwClient(Quick with { ReadTimeout = TimeSpan.FromMilliseconds(300) }).SendAsync(Get, new FtwEndpoint("127.0.0.1", port), default);
        await served;

        Assert.StartsWith("timeout:", response.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_NothingListening_ConnectError()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var response = await new FtwClient(Quick).SendAsync(Get, new FtwEndpoint("127.0.0.1", port), default);

        Assert.StartsWith("connect:", response.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_Tls_TrustsSelfSignedCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        using var certificate = X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), null);
        var (port, served) = RawServer("HTTP/1.1 418 I'm a teapot\r\nContent-Length: 0\r\n\r\n"u8.ToArray(), certificate: certificate);

        var response = await new FtwClient(Quick).SendAsync(Get, new FtwEndpoint("127.0.0.1", port, Tls: true), default);
        await served;

        Assert.Null(response.Error);
        Assert.Equal(418, response.Status);
    }
}
