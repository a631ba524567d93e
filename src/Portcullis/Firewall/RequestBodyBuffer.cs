using System.Buffers;
using System.Runtime.InteropServices;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Portcullis.Waf.Transactions;

namespace Portcullis.Firewall;

/// <summary>
/// Reads the request body into the engine's buffer for phase 2, then forwards it from that same buffer (one copy).
/// The firewall's body limit bounds what is held (the route's max_body_size already bounds what Kestrel accepts).
/// A chunked body becomes a body with Content-Length once its length is known, as nginx does when it buffers. Over
/// the limit the body is refused, or, with the partial action, the part that fits is inspected and the rest
/// streams on behind it.
/// </summary>
internal static class RequestBodyBuffer
{
    private const int ChunkSize = 16 * 1024;

    /// <summary>True when the request has no body to read (none declared, or a Content-Length of 0).</summary>
    public static bool IsAbsent(HttpContext context)
    {
        var request = context.Request;
        var canHaveBody = context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody ?? request.ContentLength > 0;
        return !canHaveBody || request.ContentLength == 0;
    }

    /// <summary>False when the body is over the limit and must be refused with 413.</summary>
    public static async Task<bool> ReadAsync(HttpContext context, Transaction tx, bool partial, TimeSpan idleTimeout, CancellationToken cancellationToken)
    {
        var request = context.Request;
        if (!tx.RequestBodyAccess || IsAbsent(context))
        {
            return true;
        }
        if (request.ContentLength > tx.RequestBodyLimit && !partial)
        {
            return false;
        }
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        // Like the forwarder's activity timeout: a body that stops arriving is the client's fault (408), not a hang.
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            int read;
            // Never ask for more than one byte past the limit: that byte tells "exactly at the limit" from "over it".
            while ((read = await ReadIdleBoundedAsync(request.Body, buffer.AsMemory(0, (int)Math.Min(ChunkSize, tx.RequestBodyLimit - tx.RequestBodyLength + 1)), idle, idleTimeout, cancellationToken)) > 0)
            {
                var before = tx.RequestBodyLength;
                if (tx.AppendRequestBody(buffer.AsSpan(0, read)))
                {
                    continue;
                }
                if (!partial)
                {
                    return false;
                }
                // The engine kept what fit; the bytes of this read past the limit go out right after it, then the rest.
                var keptOfThisRead = (int)(tx.RequestBodyLength - before);
                request.Body = new PrefixedStream(AsStream(tx.BufferedRequestBody), buffer.AsSpan(keptOfThisRead, read - keptOfThisRead).ToArray(), request.Body);
                return true;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        request.Body = AsStream(tx.BufferedRequestBody);
        request.Headers.Remove("Transfer-Encoding");
        request.ContentLength = tx.RequestBodyLength;
        return true;
    }

    private static MemoryStream AsStream(ReadOnlyMemory<byte> bytes) =>
        MemoryMarshal.TryGetArray(bytes, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(bytes.ToArray(), writable: false);

    private static async Task<int> ReadIdleBoundedAsync(Stream body, Memory<byte> buffer, CancellationTokenSource idle, TimeSpan idleTimeout, CancellationToken aborted)
    {
        idle.CancelAfter(idleTimeout);
        try
        {
            return await body.ReadAsync(buffer, idle.Token);
        }
        catch (OperationCanceledException) when (!aborted.IsCancellationRequested)
        {
            throw new BadHttpRequestException("the request body stopped arriving", StatusCodes.Status408RequestTimeout);
        }
    }
}
