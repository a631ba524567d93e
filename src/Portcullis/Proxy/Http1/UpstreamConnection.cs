using System.Buffers;
using System.Net.Sockets;

namespace Portcullis.Proxy.Http1;

/// <summary>
/// One kept-alive HTTP/1.1 connection to an upstream, with its receive buffer. Bytes between
/// <see cref="Start"/> and <see cref="End"/> have been received but not consumed yet.
/// </summary>
internal sealed class UpstreamConnection : IDisposable
{
    public const int BufferSize = 16 * 1024;

    /// <summary>Response heads larger than this are refused (502): the same budget Kestrel gives request headers, doubled.</summary>
    public const int MaxHeadSize = 64 * 1024;

    private bool _disposed;

    public UpstreamConnection(Socket socket, UpstreamConnectionPool.EndpointPool owner)
    {
        Socket = socket;
        Owner = owner;
        Buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
    }

    public Socket Socket { get; }

    public UpstreamConnectionPool.EndpointPool Owner { get; }

    public byte[] Buffer { get; private set; }

    public int Start { get; set; }

    public int End { get; set; }

    public int Buffered => End - Start;

    /// <summary>Requests this connection has carried; 0 means it is fresh (a failure on it is not a stale keep-alive).</summary>
    public int Uses { get; set; }

    public long IdleSinceTicks { get; set; }

    /// <summary>Receives more bytes after <see cref="End"/>, compacting or growing the buffer (up to <see cref="MaxHeadSize"/>) when it is full. Returns 0 at end of stream.</summary>
    public async ValueTask<int> FillAsync(CancellationToken cancellationToken)
    {
        if (End == Buffer.Length)
        {
            if (Start > 0)
            {
                Buffer.AsSpan(Start, End - Start).CopyTo(Buffer);
                End -= Start;
                Start = 0;
            }
            else if (Buffer.Length < MaxHeadSize)
            {
                var bigger = ArrayPool<byte>.Shared.Rent(Buffer.Length * 2);
                Buffer.AsSpan(0, End).CopyTo(bigger);
                ArrayPool<byte>.Shared.Return(Buffer);
                Buffer = bigger;
            }
            else
            {
                throw new UpstreamProtocolException("the upstream's response head is larger than 64 KB");
            }
        }
        var read = await Socket.ReceiveAsync(Buffer.AsMemory(End), SocketFlags.None, cancellationToken);
        End += read;
        return read;
    }

    public void Consume(int count)
    {
        Start += count;
        if (Start == End)
        {
            Start = End = 0;
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        Socket.Dispose();
        ArrayPool<byte>.Shared.Return(Buffer);
    }
}
