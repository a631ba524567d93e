using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace Portcullis.CrsTest;

/// <summary>
/// Sends one stage's raw bytes over a fresh connection, as go-ftw does for every stage, and reads the response:
/// the status from the head, plus as much body as arrives (bounded) for <c>response_contains</c>. Failures become
/// <see cref="FtwResponse.Error"/>, which <c>expect_error</c> tests count on; nothing here throws for the server's sake.
/// </summary>
internal sealed class FtwClient(FtwClientOptions? options = null)
{
    private readonly FtwClientOptions _options = options ?? new FtwClientOptions();

    public async Task<FtwResponse> SendAsync(ReadOnlyMemory<byte> request, FtwEndpoint endpoint, CancellationToken cancellationToken)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using (var connect = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            connect.CancelAfter(_options.ConnectTimeout);
            try
            {
                await socket.ConnectAsync(endpoint.Host, endpoint.Port, connect.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return FtwResponse.Failed($"connect: no connection within {_options.ConnectTimeout.TotalSeconds:0.#} s");
            }
            catch (SocketException e)
            {
                return FtwResponse.Failed($"connect: {e.Message}");
            }
        }
        await using var network = new NetworkStream(socket, ownsSocket: false);
        Stream stream = network;
        if (endpoint.Tls)
        {
            var tls = new SslStream(network, leaveInnerStreamOpen: true);
            stream = tls;
            try
            {
                await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
                {
                    TargetHost = endpoint.TlsServerName,
                    // The gateway under test presents a throwaway self-signed certificate on loopback;
                    // go-ftw's runs trust theirs through RootCAs, we accept it as it is.
#pragma warning disable CA5359
                    RemoteCertificateValidationCallback = AcceptAnyCertificate,
#pragma warning restore CA5359
                }, cancellationToken);
            }
            catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException)
            {
                await tls.DisposeAsync();
                return FtwResponse.Failed($"tls: {e.Message}");
            }
        }
        await using (stream)
        {
            string? sendError = null;
            try
            {
                await stream.WriteAsync(request, cancellationToken);
                await stream.FlushAsync(cancellationToken);
            }
            catch (IOException e)
            {
                // A server may answer and close before it has read everything (a WAF rejecting early); the answer
                // can still be waiting in the receive buffer, so read before calling this a failure.
                sendError = $"send: {e.Message}";
            }
            var response = await ReadResponseAsync(stream, MethodOf(request.Span), cancellationToken);
            return response.Status is null && sendError is not null ? response with { Error = sendError } : response;
        }
    }

    private async Task<FtwResponse> ReadResponseAsync(Stream stream, string method, CancellationToken cancellationToken)
    {
        var buffer = new byte[Math.Min(16 * 1024, _options.MaxHeadBytes + _options.MaxBodyBytes)];
        var filled = 0;
        int headLength;
        using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            deadline.CancelAfter(_options.ReadTimeout);
            while ((headLength = FtwResponseHead.FindEnd(buffer.AsSpan(0, filled))) < 0)
            {
                if (filled >= _options.MaxHeadBytes)
                {
                    return FtwResponse.Failed($"response head larger than {_options.MaxHeadBytes} bytes", buffer[..filled]);
                }
                if (filled == buffer.Length)
                {
                    Array.Resize(ref buffer, Math.Min(buffer.Length * 2, _options.MaxHeadBytes + _options.MaxBodyBytes));
                }
                var read = await ReadSomeAsync(stream, buffer.AsMemory(filled), deadline.Token, cancellationToken);
                if (read is null)
                {
                    return FtwResponse.Failed($"timeout: no complete response within {_options.ReadTimeout.TotalSeconds:0.#} s", buffer[..filled]);
                }
                if (read.Value.Error is { } error)
                {
                    return FtwResponse.Failed(error, buffer[..filled]);
                }
                if (read.Value.Count == 0)
                {
                    return FtwResponse.Failed(filled == 0
                        ? "connection closed without a response (EOF)"
                        : "unexpected EOF: connection closed inside the response head", buffer[..filled]);
                }
                filled += read.Value.Count;
            }
        }
        var rawHead = buffer[..headLength];
        var head = FtwResponseHead.Parse(rawHead, out var headError);
        if (head is null)
        {
            return FtwResponse.Failed(headError!, rawHead);
        }
        var body = await ReadBodyAsync(stream, head, method, buffer, filled, headLength, cancellationToken);
        return new FtwResponse(head.Status, null, rawHead) { RawBody = body };
    }

    /// <summary>Reads what body there is: to Content-Length, to the last chunk, or to EOF; bounded in size and time.</summary>
    private async Task<byte[]> ReadBodyAsync(Stream stream, FtwResponseHead head, string method, byte[] buffer, int filled,
        int headLength, CancellationToken cancellationToken)
    {
        if (!head.HasBody(method))
        {
            return [];
        }
        var wanted = head.ContentLength is { } length ? (int)Math.Min(length, _options.MaxBodyBytes) : _options.MaxBodyBytes;
        using var body = new MemoryStream();
        body.Write(buffer, headLength, Math.Min(filled - headLength, wanted));
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_options.BodyTimeout);
        while (body.Length < wanted && !(head.Chunked && EndsWithLastChunk(body)))
        {
            var read = await ReadSomeAsync(stream, buffer.AsMemory(0, (int)Math.Min(buffer.Length, wanted - body.Length)),
                deadline.Token, cancellationToken);
            if (read is not { Error: null, Count: > 0 } success)
            {
                break;
            }
            body.Write(buffer, 0, success.Count);
        }
        return body.ToArray();
    }

    private static bool EndsWithLastChunk(MemoryStream body) =>
        body.Length >= 5 && body.GetBuffer().AsSpan(0, (int)body.Length).EndsWith("0\r\n\r\n"u8);

    /// <summary>One read: a byte count (0 at EOF), an error, or null when the deadline passed.</summary>
    private static async Task<(int Count, string? Error)?> ReadSomeAsync(Stream stream, Memory<byte> into,
        CancellationToken deadline, CancellationToken cancellationToken)
    {
        try
        {
            return (await stream.ReadAsync(into, deadline), null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
        catch (IOException e)
        {
            return (0, $"receive: {e.Message}");
        }
    }

    private static string MethodOf(ReadOnlySpan<byte> request)
    {
        var space = request.IndexOf((byte)' ');
        return space > 0 ? System.Text.Encoding.Latin1.GetString(request[..space]) : "";
    }

    private static bool AcceptAnyCertificate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors) => true;
}
