using System.Buffers;
using System.Net.Security;
using Portcullis.Tls;

namespace Portcullis.Tests.Tls;

public sealed class ClientHelloReaderTests
{
    [Theory]
    [InlineData("acme-tls/1")]
    [InlineData("h2,http/1.1")]
    public async Task TryRead_RealClientHello_ReturnsTheOfferedProtocols(string list)
    {
        var offered = list.Split(',');
        var hello = await CaptureClientHelloAsync(offered);

        var status = ClientHelloReader.TryRead(hello, out var protocols);

        Assert.Equal(ClientHelloStatus.Complete, status);
        Assert.Equal(offered, protocols);
    }

    [Fact]
    public async Task TryRead_NoAlpn_CompleteAndEmpty()
    {
        var hello = await CaptureClientHelloAsync([]);

        Assert.Equal(ClientHelloStatus.Complete, ClientHelloReader.TryRead(hello, out var protocols));
        Assert.Empty(protocols);
    }

    [Fact]
    public async Task TryRead_EveryTruncation_NeedsMore()
    {
        var hello = await CaptureClientHelloAsync(["acme-tls/1"]);

        var reframed = Reframe(hello, 100);
        for (var length = 0; length < hello.Length; length++)
        {
            Assert.Equal(ClientHelloStatus.NeedMore, ClientHelloReader.TryRead(hello.AsSpan(0, length), out _));
        }
        for (var length = 1; length < reframed.Length; length++)
        {
            // A trickling client: many small segments, split records; never complete before the last byte.
            Assert.Equal(ClientHelloStatus.NeedMore, ClientHelloReader.TryRead(Segmented(reframed[..length], 7), out _));
        }
    }

    [Fact]
    public async Task TryRead_HelloSplitOverRecordsAndSegments_SameProtocols()
    {
        var hello = await CaptureClientHelloAsync(["acme-tls/1"]);
        var split = Reframe(hello, 100);
        var segments = Segmented(split, 7);

        Assert.Equal(ClientHelloStatus.Complete, ClientHelloReader.TryRead(segments, out var protocols));
        Assert.Equal(["acme-tls/1"], protocols);
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\r\nHost: x\r\n\r\n")]
    [InlineData("\u0016\u0003\u0001\u0000\u0004\u0002\u0000\u0000\u0000")] // a ServerHello where a ClientHello belongs
    [InlineData("\u0016\u0003\u0001\u0000\u0000")] // empty record
    public void TryRead_NotAClientHello_Says(string input)
    {
        var bytes = System.Text.Encoding.Latin1.GetBytes(input);

        Assert.Equal(ClientHelloStatus.NotClientHello, ClientHelloReader.TryRead(bytes, out _));
    }

    [Fact]
    public async Task TryRead_AlpnLengthsLie_NotClientHelloNeverThrows()
    {
        var hello = await CaptureClientHelloAsync(["acme-tls/1"]);
        var alpn = IndexOf(hello, "acme-tls/1"u8.ToArray());
        Assert.True(alpn > 0);
        for (var i = 9; i < hello.Length; i++)
        {
            var damaged = (byte[])hello.Clone();
            damaged[i] ^= 0xFF;
            // Any answer is fine except an exception or a wrong Complete with other protocols than offered or none.
            var status = ClientHelloReader.TryRead(damaged, out var protocols);
            if (status == ClientHelloStatus.Complete && protocols.Count > 0)
            {
                Assert.Single(protocols);
            }
        }
    }

    /// <summary>The first flight of a real OpenSSL client (through SslStream) offering <paramref name="protocols"/>.</summary>
    private static async Task<byte[]> CaptureClientHelloAsync(string[] protocols)
    {
        var capture = new CaptureStream();
        using var ssl = new SslStream(capture);
        using var cancel = new CancellationTokenSource();
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = "app.test",
            ApplicationProtocols = protocols.Length == 0 ? null : [.. protocols.Select(p => new SslApplicationProtocol(p))],
        };
        var handshake = ssl.AuthenticateAsClientAsync(options, cancel.Token);
        var hello = await capture.FirstWrite.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<Exception>(() => handshake);
        return hello;
    }

    private static byte[] Reframe(byte[] hello, int recordSize)
    {
        var body = hello.AsSpan(5).ToArray();
        var output = new List<byte>();
        for (var i = 0; i < body.Length; i += recordSize)
        {
            var chunk = body.AsSpan(i, Math.Min(recordSize, body.Length - i));
            output.AddRange([22, 3, 1, (byte)(chunk.Length >> 8), (byte)chunk.Length]);
            output.AddRange(chunk.ToArray());
        }
        return [.. output];
    }

    private static ReadOnlySequence<byte> Segmented(byte[] data, int size)
    {
        Segment? first = null;
        Segment? last = null;
        for (var i = 0; i < data.Length; i += size)
        {
            var memory = data.AsMemory(i, Math.Min(size, data.Length - i));
            last = last is null ? first = new Segment(memory, 0) : last.Append(memory);
        }
        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
    }

    private static int IndexOf(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle);

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long index)
        {
            Memory = memory;
            RunningIndex = index;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }

    /// <summary>Records the first write (the ClientHello) and never answers, so the handshake stops there.</summary>
    private sealed class CaptureStream : Stream
    {
        public TaskCompletionSource<byte[]> FirstWrite { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return 0;
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => FirstWrite.TrySetResult(buffer.AsSpan(offset, count).ToArray());

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            FirstWrite.TrySetResult(buffer.ToArray());
            return ValueTask.CompletedTask;
        }
    }
}
