using System.IO.Pipelines;

namespace Portcullis.Proxy.Http1;

/// <summary>
/// Decodes a chunked upstream body (RFC 9112 §7.1) and writes the payload to the client; Kestrel frames it again
/// for the client's protocol. Chunk extensions and trailers are dropped. Every size and line is bounded.
/// </summary>
internal static class ChunkedBody
{
    private const int MaxLineLength = 4096;

    /// <summary>Returns true when the body ended cleanly (the connection may be reused).</summary>
    public static async Task<bool> CopyAsync(UpstreamConnection connection, PipeWriter writer, CancellationTokenSource activity, TimeSpan timeout, Observability.RequestEvent counter)
    {
        while (true)
        {
            var line = await ReadLineAsync(connection, activity, timeout);
            var size = ParseSize(connection.Buffer.AsSpan(line.Start, line.Length));
            connection.Consume(line.Length + 2);
            if (size == 0)
            {
                // Trailer section: lines until an empty one.
                while (true)
                {
                    var trailer = await ReadLineAsync(connection, activity, timeout);
                    connection.Consume(trailer.Length + 2);
                    if (trailer.Length == 0)
                    {
                        return connection.Buffered == 0;
                    }
                }
            }
            var remaining = size;
            while (remaining > 0)
            {
                if (connection.Buffered == 0)
                {
                    await FillAsync(connection, activity, timeout);
                }
                var take = (int)Math.Min(remaining, connection.Buffered);
                await writer.WriteAsync(connection.Buffer.AsMemory(connection.Start, take), activity.Token);
                connection.Consume(take);
                remaining -= take;
                counter.BytesOut += take;
            }
            var end = await ReadLineAsync(connection, activity, timeout);
            if (end.Length != 0)
            {
                throw new UpstreamProtocolException("the upstream's chunk data is longer than its size");
            }
            connection.Consume(2);
        }
    }

    private static async ValueTask<(int Start, int Length)> ReadLineAsync(UpstreamConnection connection, CancellationTokenSource activity, TimeSpan timeout)
    {
        while (true)
        {
            var data = connection.Buffer.AsSpan(connection.Start, connection.Buffered);
            var index = data.IndexOf("\r\n"u8);
            if (index >= 0)
            {
                return (connection.Start, index);
            }
            if (data.Length > MaxLineLength)
            {
                throw new UpstreamProtocolException("the upstream sent an overlong chunk line");
            }
            await FillAsync(connection, activity, timeout);
        }
    }

    private static async ValueTask FillAsync(UpstreamConnection connection, CancellationTokenSource activity, TimeSpan timeout)
    {
        if (await connection.FillAsync(activity.Token) == 0)
        {
            throw new UpstreamProtocolException("the upstream closed the connection inside a chunked body");
        }
        activity.CancelAfter(timeout);
    }

    private static long ParseSize(ReadOnlySpan<byte> line)
    {
        var semicolon = line.IndexOf((byte)';');
        var digits = (semicolon < 0 ? line : line[..semicolon]).TrimEnd(" \t"u8);
        if (digits.IsEmpty || digits.Length > 15)
        {
            throw new UpstreamProtocolException("the upstream sent an invalid chunk size");
        }
        long size = 0;
        foreach (var b in digits)
        {
            var value = b switch
            {
                >= (byte)'0' and <= (byte)'9' => b - '0',
                >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
                >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
                _ => throw new UpstreamProtocolException("the upstream sent an invalid chunk size"),
            };
            size = (size << 4) | (long)value;
        }
        return size;
    }
}
