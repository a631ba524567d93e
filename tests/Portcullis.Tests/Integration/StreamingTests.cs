using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Portcullis.Demo;
using Portcullis.Tests.TestSupport;
using Xunit.Abstractions;

namespace Portcullis.Tests.Integration;

/// <summary>
/// Large bodies and WebSockets through the real gateway in front of the real <see cref="DemoApplication"/>:
/// bytes arrive intact both ways, over HTTP/1.1 and HTTP/2, without the gateway holding a body in memory.
/// </summary>
/// <remarks>
/// The gateway, the demo application and the client all run in this test process, so allocation counters
/// (<see cref="GC.GetTotalAllocatedBytes"/>) count everyone's churn and a before/after <see cref="GC.GetTotalMemory"/>
/// misses a body that was held and then released. What tells streaming from buffering is the live heap during the
/// transfer, so the tests sample its peak (<see cref="HeapSampler"/>). It is the heap of the whole process, so the
/// class runs in a collection that xunit runs alone, after every parallel collection has finished.
/// </remarks>
[Collection(StreamingTests.Serial)]
public sealed class StreamingTests(ITestOutputHelper output)
{
    public const string Serial = "Streaming (heap measured; runs alone)";

    private const int MiB = 1024 * 1024;
    private const int TransferMiB = 50;

    /// <summary>
    /// Heap growth allowed during a 50 MiB transfer. Streaming needs a few MiB of pooled buffers (Kestrel's pipes,
    /// YARP's 64 KiB copy buffers, TLS records, HTTP/2 flow-control windows of at most a few MiB); a gateway that
    /// buffered the body would hold at least 50 MiB. <see cref="HeapSampler_FiftyMiBHeld_ExceedsBound"/> shows
    /// that the sampler sees such a body, so staying under this bound means the body was not held.
    /// </summary>
    private const long HeapBound = 40L * MiB;

    [Theory]
    [InlineData("1.1")]
    [InlineData("2.0")]
    public async Task Upload_50MiBStreamedBody_ReachesUpstreamWithSameSha256AndBoundedHeap(string version)
    {
        await using var demo = await DemoApplication.StartAsync(new IPEndPoint(IPAddress.Loopback, 0), CancellationToken.None);
        // The firewall inspects the first 13 MiB (its default limit) and, with the partial action, streams the rest.
        await using var gateway = await TestGateway.StartAsync(ForwardingTests.SingleRoute($"\"{demo.BaseAddress}\"") + "\nwaf: { request_body_limit_action: partial }\n");
        using var client = gateway.CreateClient(System.Version.Parse(version), TimeSpan.FromSeconds(60));
        using var content = new GeneratedContent(TransferMiB * (long)MiB);

        var sampler = HeapSampler.Start();
        using var response = await client.PostAsync(new Uri("https://app.test/upload"), content);
        var text = await response.Content.ReadAsStringAsync();
        var growth = await sampler.StopAsync();
        output.WriteLine($"HTTP/{version} upload: heap peak {growth / (double)MiB:F1} MiB above baseline ({sampler.Samples} samples)");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(System.Version.Parse(version), response.Version);
        using var json = JsonDocument.Parse(text);
        Assert.Equal(TransferMiB * (long)MiB, json.RootElement.GetProperty("bytes").GetInt64());
        Assert.Equal(content.Sha256, json.RootElement.GetProperty("sha256").GetString());
        Assert.True(sampler.Samples >= 3, $"only {sampler.Samples} heap samples: the transfer was too short to measure");
        Assert.True(growth < HeapBound, $"heap grew {growth / (double)MiB:F1} MiB during a {TransferMiB} MiB upload; the body was buffered");
    }

    [Theory]
    [InlineData("1.1")]
    [InlineData("2.0")]
    public async Task Download_50MiB_SameSha256AsDirectAndBoundedHeap(string version)
    {
        await using var demo = await DemoApplication.StartAsync(new IPEndPoint(IPAddress.Loopback, 0), CancellationToken.None);
        await using var gateway = await TestGateway.StartAsync(ForwardingTests.SingleRoute($"\"{demo.BaseAddress}\""));
        using var direct = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        var (directBytes, directHash) = await DownloadAsync(direct, new Uri(demo.BaseAddress, $"/download?mb={TransferMiB}"), HttpVersion.Version11);
        using var client = gateway.CreateClient(System.Version.Parse(version), TimeSpan.FromSeconds(60));

        var sampler = HeapSampler.Start();
        var (bytes, hash) = await DownloadAsync(client, new Uri($"https://app.test/download?mb={TransferMiB}"), System.Version.Parse(version));
        var growth = await sampler.StopAsync();
        output.WriteLine($"HTTP/{version} download: heap peak {growth / (double)MiB:F1} MiB above baseline ({sampler.Samples} samples)");

        Assert.Equal(TransferMiB * (long)MiB, directBytes);
        Assert.Equal(directBytes, bytes);
        Assert.Equal(directHash, hash);
        Assert.True(sampler.Samples >= 3, $"only {sampler.Samples} heap samples: the transfer was too short to measure");
        Assert.True(growth < HeapBound, $"heap grew {growth / (double)MiB:F1} MiB during a {TransferMiB} MiB download; the body was buffered");
    }

    /// <summary>The control for the two tests above: the same sampler does see 50 MiB held in 64 KiB pieces.</summary>
    [Fact]
    public async Task HeapSampler_FiftyMiBHeld_ExceedsBound()
    {
        var sampler = HeapSampler.Start();
        var held = new List<byte[]>();
        for (var i = 0; i < TransferMiB * 16; i++)
        {
            // Below the large-object threshold, like pooled pipe segments: the harder case for a heap measurement.
            held.Add(new byte[64 * 1024]);
            if (i % 80 == 0)
            {
                await Task.Delay(10);
            }
        }
        await Task.Delay(200);
        var growth = await sampler.StopAsync();
        GC.KeepAlive(held);
        output.WriteLine($"control: heap peak {growth / (double)MiB:F1} MiB above baseline ({sampler.Samples} samples)");

        Assert.True(growth > HeapBound, $"the sampler saw only {growth / (double)MiB:F1} MiB of a {TransferMiB} MiB body held");
    }

    [Theory]
    [InlineData("1.1")]
    [InlineData("2.0")]
    public async Task WebSocket_ThroughGateway_EchoesTextAndLargeBinary(string version)
    {
        await using var demo = await DemoApplication.StartAsync(new IPEndPoint(IPAddress.Loopback, 0), CancellationToken.None);
        await using var gateway = await TestGateway.StartAsync(ForwardingTests.SingleRoute($"\"{demo.BaseAddress}\""));
        using var invoker = new HttpMessageInvoker(CreateHandler(gateway.HttpsPort));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        using var socket = new ClientWebSocket();
        socket.Options.HttpVersion = System.Version.Parse(version);
        socket.Options.HttpVersionPolicy = HttpVersionPolicy.RequestVersionExact;
        socket.Options.CollectHttpResponseDetails = true;

        await socket.ConnectAsync(new Uri("wss://app.test/ws"), invoker, timeout.Token);
        await socket.SendAsync(Encoding.UTF8.GetBytes("hello through the gateway"), WebSocketMessageType.Text, endOfMessage: true, timeout.Token);
        var (textType, text) = await ReceiveMessageAsync(socket, timeout.Token);
        var binary = RandomNumberGenerator.GetBytes(1024 * 1024);
        var sending = socket.SendAsync(binary, WebSocketMessageType.Binary, endOfMessage: true, timeout.Token);
        var (binaryType, echoed) = await ReceiveMessageAsync(socket, timeout.Token);
        await sending;
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token);

        // RFC 6455 upgrades with 101; RFC 8441 (WebSockets over HTTP/2) answers the extended CONNECT with 200.
        Assert.Equal(version == "2.0" ? HttpStatusCode.OK : HttpStatusCode.SwitchingProtocols, socket.HttpStatusCode);
        Assert.Equal(WebSocketMessageType.Text, textType);
        Assert.Equal("hello through the gateway", Encoding.UTF8.GetString(text));
        Assert.Equal(WebSocketMessageType.Binary, binaryType);
        Assert.True(binary.AsSpan().SequenceEqual(echoed), "the 1 MiB binary message came back different");
        Assert.Equal(WebSocketState.Closed, socket.State);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, socket.CloseStatus);
    }

    private static async Task<(long Bytes, string Sha256)> DownloadAsync(HttpClient client, Uri uri, System.Version version)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri) { Version = version, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(version, response.Version);
        await using var body = await response.Content.ReadAsStreamAsync();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[64 * 1024];
        long total = 0;
        int read;
        while ((read = await body.ReadAsync(buffer)) > 0)
        {
            hash.AppendData(buffer, 0, read);
            total += read;
        }
        return (total, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    private static async Task<(WebSocketMessageType Type, byte[] Data)> ReceiveMessageAsync(WebSocket socket, CancellationToken ct)
    {
        using var message = new MemoryStream();
        var buffer = new byte[16 * 1024];
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, ct);
            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return (result.MessageType, message.ToArray());
            }
        }
    }

    /// <summary>Like <see cref="TestGateway.CreateClient"/>: every connection goes to the gateway, SNI and Host carry the URL's name.</summary>
    private static SocketsHttpHandler CreateHandler(int httpsPort) => new()
    {
        UseProxy = false,
        ConnectCallback = async (_, ct) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, httpsPort), ct);
            return new NetworkStream(socket, ownsSocket: true);
        },
        SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, _, _, _) => true },
    };

    /// <summary>
    /// Samples the managed heap every 50 ms and keeps the peak growth over a baseline taken after a full collection.
    /// <see cref="GCMemoryInfo.HeapSizeBytes"/> describes the heap as of the last collection, so each sample first
    /// forces a cheap gen0 collection: the value is then at most 50 ms old and covers every generation (a body
    /// held for longer than a sample has been promoted to gen1/gen2 or sits on the large-object heap, where it
    /// counts). Garbage only makes the number larger, never smaller, so a pass is not an artefact of timing.
    /// </summary>
    private sealed class HeapSampler
    {
        private readonly TaskCompletionSource _stop = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly long _baseline;
        private Task<long>? _loop;

        private HeapSampler()
        {
            // Compacting (LOH included) leaves no free space for the transfer to fill unseen: earlier tests in the
            // process (the CRS suite) can leave a heap with tens of MiB of holes, which HeapSizeBytes counts as in use.
            System.Runtime.GCSettings.LargeObjectHeapCompactionMode = System.Runtime.GCLargeObjectHeapCompactionMode.CompactOnce;
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            _baseline = InUse();
        }

        public int Samples { get; private set; }

        /// <summary>Heap bytes in use: the heap's size minus its free fragments.</summary>
        private static long InUse()
        {
            var info = GC.GetGCMemoryInfo();
            return info.HeapSizeBytes - info.FragmentedBytes;
        }

        public static HeapSampler Start()
        {
            var sampler = new HeapSampler();
            sampler._loop = Task.Run(sampler.RunAsync);
            return sampler;
        }

        /// <summary>Stops sampling (after one last sample) and returns the peak growth in bytes.</summary>
        public async Task<long> StopAsync()
        {
            _stop.TrySetResult();
            var peak = await _loop!;
            return peak - _baseline;
        }

        private async Task<long> RunAsync()
        {
            long peak = 0;
            while (true)
            {
                GC.Collect(0, GCCollectionMode.Forced, blocking: true);
                peak = Math.Max(peak, InUse());
                Samples++;
                if (_stop.Task.IsCompleted)
                {
                    return peak;
                }
                // Stopping cuts the wait short for one last sample.
                await Task.WhenAny(Task.Delay(50), _stop.Task);
            }
        }
    }

    /// <summary>
    /// A request body generated while it is sent (the <see cref="DemoPayload"/> bytes, 64 KiB at a time), hashed on
    /// the way out: the test itself never holds more than one chunk.
    /// </summary>
    private sealed class GeneratedContent : HttpContent
    {
        private readonly long _length;

        public GeneratedContent(long length)
        {
            _length = length;
            Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
        }

        public string? Sha256 { get; private set; }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
        {
            var payload = new DemoPayload();
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var chunk = new byte[64 * 1024];
            for (long sent = 0; sent < _length; sent += chunk.Length)
            {
                payload.Fill(chunk);
                hash.AppendData(chunk);
                await stream.WriteAsync(chunk, cancellationToken);
            }
            Sha256 = Convert.ToHexStringLower(hash.GetHashAndReset());
        }

        protected override bool TryComputeLength(out long length)
        {
            length = _length;
            return true;
        }
    }
}

/// <summary>Runs <see cref="StreamingTests"/> alone, after the parallel collections, so its heap measurements see only its own traffic.</summary>
[CollectionDefinition(StreamingTests.Serial, DisableParallelization = true)]
public sealed class StreamingTestsCollection;
