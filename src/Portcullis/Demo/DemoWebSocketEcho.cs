using System.Buffers;
using System.Net.WebSockets;

namespace Portcullis.Demo;

/// <summary>
/// <c>/ws</c>: echoes every text and binary message back until the client closes. Frames are echoed as they
/// arrive, so a message of any size passes through one small buffer.
/// </summary>
internal sealed class DemoWebSocketEcho(CancellationToken stopping)
{
    private const int BufferSize = 16 * 1024;

    public async Task EchoAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await DemoHtml.WriteAsync(context, StatusCodes.Status400BadRequest, "WebSocket only",
                DemoPages.Message("WebSocket only", "This endpoint is a WebSocket echo; connect with a WebSocket client."));
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();

        // Shutdown aborts the socket rather than waiting for clients that never close.
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            await EchoUntilCloseAsync(socket, buffer.AsMemory(0, BufferSize), cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            // The client vanished or the demo is stopping; the socket is already aborted.
        }
        catch (WebSocketException)
        {
            // The client broke the protocol or the connection dropped without a close handshake.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task EchoUntilCloseAsync(WebSocket socket, Memory<byte> buffer, CancellationToken ct)
    {
        while (true)
        {
            var received = await socket.ReceiveAsync(buffer, ct);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                // Complete the close handshake (RFC 6455 §5.5.1) echoing the client's status, as an echo should.
                var status = socket.CloseStatus is { } code && code != WebSocketCloseStatus.Empty ? code : WebSocketCloseStatus.NormalClosure;
                await socket.CloseOutputAsync(status, socket.CloseStatusDescription, ct);
                return;
            }

            await socket.SendAsync(buffer[..received.Count], received.MessageType, received.EndOfMessage, ct);
        }
    }
}
