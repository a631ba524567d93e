using Portcullis.Tests.TestSupport;

namespace Portcullis.Tests.Audit;

/// <summary><c>portcullis demo</c> as a user starts it, on free ports with its own data directory; killed on dispose.</summary>
internal sealed class DemoProcess : IAsyncDisposable
{
    /// <summary>Start-up of a child .NET program on the shared, loaded test machine; usually 2-4 s.</summary>
    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(60);

    private readonly RunningPortcullis _process;

    private DemoProcess(RunningPortcullis process, int httpsPort, int httpPort, string certificate)
    {
        _process = process;
        HttpsPort = httpsPort;
        HttpPort = httpPort;
        Certificate = certificate;
    }

    public int HttpsPort { get; }

    public int HttpPort { get; }

    /// <summary>The demo's self-signed certificate: the only root that vouches for it, hence the audit's --ca.</summary>
    public string Certificate { get; }

    public static async Task<DemoProcess> StartAsync(TempDirectory dir)
    {
        var https = TestPorts.GetFree();
        var http = TestPorts.GetFree();
        var dataDir = dir.Combine("data");
        var process = RunningPortcullis.Start("demo", "--https", $"127.0.0.1:{https}", "--http", $"127.0.0.1:{http}", "--data-dir", dataDir);
        var demo = new DemoProcess(process, https, http, Path.Combine(dataDir, "certs", "self-signed", "demo.crt"));
        try
        {
            // The welcome text is printed once both listeners are up.
            await Eventually.TrueAsync(() => process.HasExited || process.Output.Contains("Portcullis demo is running", StringComparison.Ordinal),
                "the demo did not start", StartDeadline);
            Assert.False(process.HasExited, $"the demo exited early:\n{process.Output}");
            Assert.True(File.Exists(demo.Certificate), $"no {demo.Certificate}");
            return demo;
        }
        catch
        {
            await demo.DisposeAsync();
            throw;
        }
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
