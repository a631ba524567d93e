using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using Portcullis.Demo;
using Portcullis.Hosting;
using Portcullis.Tests.TestSupport;

namespace Portcullis.Tests.Integration;

/// <summary>
/// Config reloads of the real gateway from its YAML file (<see cref="ConfigReloader"/>): a bad file changes nothing,
/// a good one switches new requests over while requests in flight finish on the old generation.
/// </summary>
/// <remarks>
/// Where a test calls <see cref="ConfigReloader.ReloadAsync"/> itself, it writes the file before creating the
/// reloader, so the file watcher (which only sees later changes) cannot reload behind its back.
/// </remarks>
public sealed class ReloadTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    /// <summary>Reloaders whose SIGHUP registration must outlive a failed test; see <see cref="Sighup_GoodConfig_SwitchesUpstream"/>.</summary>
    private static readonly List<ConfigReloader> KeptAlive = [];

    [Theory]
    // A tab where indentation belongs.
    [InlineData("sites:\n\t- name: app\n")]
    // Saved mid-edit: a flow sequence not closed yet, a flow mapping just opened.
    [InlineData("sites:\n  - name: app\n    hosts: [app.test\n    routes: {\n")]
    public async Task ReloadAsync_InvalidYaml_KeepsOldConfigAndReportsErrors(string yaml)
    {
        await using var a = await TestOrigin.StartAsync("a");
        await using var gateway = await TestGateway.StartAsync(ForwardingTests.SingleRoute($"\"{a.Url}\""));
        using var client = gateway.CreateClient();
        await File.WriteAllTextAsync(gateway.ConfigPath, yaml);
        using var reloader = new ConfigReloader(gateway.Host, gateway.ConfigPath, NullLogger.Instance);

        var errors = await reloader.ReloadAsync("test");

        var error = Assert.Single(errors);
        Assert.Matches($"^{Escape(gateway.ConfigPath)}:[1-9][0-9]*:[1-9][0-9]*: not valid YAML", error);
        Assert.Equal("a", await OriginAsync(client));
    }

    [Fact]
    public async Task ReloadAsync_UnknownKey_KeepsOldConfigAndReportsErrors()
    {
        await using var a = await TestOrigin.StartAsync("a");
        await using var b = await TestOrigin.StartAsync("b");
        await using var gateway = await TestGateway.StartAsync(ForwardingTests.SingleRoute($"\"{a.Url}\""));
        using var client = gateway.CreateClient();
        // Valid apart from one key: were it applied anyway, requests would go to b.
        await File.WriteAllTextAsync(gateway.ConfigPath, gateway.Expand(ForwardingTests.SingleRoute($"\"{b.Url}\"")) + "\nupstream_keepalive: 30s\n");
        using var reloader = new ConfigReloader(gateway.Host, gateway.ConfigPath, NullLogger.Instance);

        var errors = await reloader.ReloadAsync("test");

        var line = Array.FindIndex(await File.ReadAllLinesAsync(gateway.ConfigPath), l => l.StartsWith("upstream_keepalive", StringComparison.Ordinal)) + 1;
        var error = Assert.Single(errors);
        Assert.Matches($"^{Escape(gateway.ConfigPath)}:{line}:1: .*unknown key 'upstream_keepalive'", error);
        Assert.Equal("a", await OriginAsync(client));
        Assert.Equal(0, b.Requests);
    }

    [Fact]
    public async Task ReloadAsync_GoodConfig_NewRequestsGoToNewUpstream()
    {
        await using var a = await TestOrigin.StartAsync("a");
        await using var b = await TestOrigin.StartAsync("b");
        await using var gateway = await TestGateway.StartAsync(ForwardingTests.SingleRoute($"\"{a.Url}\""));
        using var client = gateway.CreateClient();
        Assert.Equal("a", await OriginAsync(client));
        await File.WriteAllTextAsync(gateway.ConfigPath, gateway.Expand(ForwardingTests.SingleRoute($"\"{b.Url}\"")));
        using var reloader = new ConfigReloader(gateway.Host, gateway.ConfigPath, NullLogger.Instance);

        var errors = await reloader.ReloadAsync("test");

        Assert.Empty(errors);
        Assert.Equal("b", await OriginAsync(client));
        Assert.Equal("b", await OriginAsync(client));
    }

    [Fact]
    public async Task FileWatcher_BadEditThenGoodEdit_RejectsThenApplies()
    {
        await using var a = await TestOrigin.StartAsync("a");
        await using var b = await TestOrigin.StartAsync("b");
        await using var gateway = await TestGateway.StartAsync(ForwardingTests.SingleRoute($"\"{a.Url}\""));
        using var client = gateway.CreateClient();
        using var reloader = new ConfigReloader(gateway.Host, gateway.ConfigPath, NullLogger.Instance);

        // Points at b but has an unknown key: the watcher must pick it up on its own and reject it.
        await File.WriteAllTextAsync(gateway.ConfigPath, gateway.Expand(ForwardingTests.SingleRoute($"\"{b.Url}\"")) + "\nbogus: 1\n");
        await WaitUntilAsync(() => Task.FromResult(reloader.Attempts > 0), "the file watcher never reloaded after a bad edit");
        var afterBadEdit = await OriginAsync(client);
        var attemptsBefore = reloader.Attempts;
        await File.WriteAllTextAsync(gateway.ConfigPath, gateway.Expand(ForwardingTests.SingleRoute($"\"{b.Url}\"")));
        await WaitUntilAsync(async () => await OriginAsync(client) == "b", "the file watcher never applied a good edit");

        Assert.Equal("a", afterBadEdit);
        Assert.True(reloader.Attempts > attemptsBefore);
    }

    [Fact]
    public async Task ReloadAsync_DuringSlowDownload_DownloadCompletesWithRightSha256()
    {
        const int mebibytes = 50;
        await using var demo = await DemoApplication.StartAsync(new IPEndPoint(IPAddress.Loopback, 0), CancellationToken.None);
        await using var b = await TestOrigin.StartAsync("b");
        await using var gateway = await TestGateway.StartAsync(ForwardingTests.SingleRoute($"\"{demo.BaseAddress}\""));
        using var client = gateway.CreateClient(timeout: TimeSpan.FromSeconds(60));
        var expected = ExpectedDownloadSha256(mebibytes);

        using var response = await client.GetAsync(new Uri($"https://app.test/download?mb={mebibytes}"), HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[16 * 1024];
        long total = 0;
        // Read the first MiBs slowly, so the transfer is mid-flight (backpressure holds the rest) when the reload swaps.
        while (total < 4 * 1024 * 1024)
        {
            total += await ReadIntoAsync(body, buffer, hash);
            await Task.Delay(1);
        }
        await File.WriteAllTextAsync(gateway.ConfigPath, gateway.Expand(ForwardingTests.SingleRoute($"\"{b.Url}\"")));
        using (var reloader = new ConfigReloader(gateway.Host, gateway.ConfigPath, NullLogger.Instance))
        {
            Assert.Empty(await reloader.ReloadAsync("test"));
        }
        var newRequestOrigin = await OriginAsync(client);
        int read;
        while ((read = await ReadIntoAsync(body, buffer, hash)) > 0)
        {
            total += read;
        }

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("b", newRequestOrigin);
        Assert.Equal(mebibytes * 1024L * 1024, total);
        Assert.Equal(expected, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    /// <summary>
    /// SIGHUP to this test process. Safe because the reloader's <see cref="System.Runtime.InteropServices.PosixSignalRegistration"/>
    /// cancels the default action (terminate) and the test waits for the reload the signal caused before it
    /// disposes the registration; if that reload never comes, the registration is kept alive for the rest of the
    /// run rather than risk a late SIGHUP meeting no handler. Run the suite in the foreground: launched as
    /// <c>(nohup bash .ci/run &gt; log) &amp;</c> from a non-interactive shell, this test failed three times (the signal
    /// never reached the reloader) while the same commits passed in the foreground.
    /// </summary>
    [Fact]
    public async Task Sighup_GoodConfig_SwitchesUpstream()
    {
        Assert.False(OperatingSystem.IsWindows(), "SIGHUP is POSIX-only");
        await using var a = await TestOrigin.StartAsync("a");
        await using var b = await TestOrigin.StartAsync("b");
        await using var gateway = await TestGateway.StartAsync(ForwardingTests.SingleRoute($"\"{a.Url}\""));
        using var client = gateway.CreateClient();
        // Written before the reloader exists: only the signal can make it read the new file.
        await File.WriteAllTextAsync(gateway.ConfigPath, gateway.Expand(ForwardingTests.SingleRoute($"\"{b.Url}\"")));
        var reloader = new ConfigReloader(gateway.Host, gateway.ConfigPath, NullLogger.Instance);
        lock (KeptAlive)
        {
            KeptAlive.Add(reloader);
        }
        await Task.Delay(500);
        var beforeSignal = await OriginAsync(client);

        using (var kill = Process.Start("kill", ["-HUP", Environment.ProcessId.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
            Assert.Equal(0, kill.ExitCode);
        }
        await WaitUntilAsync(async () => reloader.Attempts > 0 && await OriginAsync(client) == "b", "SIGHUP did not reload the config");

        lock (KeptAlive)
        {
            KeptAlive.Remove(reloader);
        }
        reloader.Dispose();
        Assert.Equal("a", beforeSignal);
    }

    private static async Task<string> OriginAsync(HttpClient client)
    {
        using var response = await client.GetAsync(new Uri("https://app.test/whoami"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await OriginReply.ReadAsync(response)).Origin;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string failure)
    {
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(watch.Elapsed < Deadline, $"{failure} within {Deadline.TotalSeconds} s");
            await Task.Delay(50);
        }
    }

    private static async Task<int> ReadIntoAsync(Stream body, byte[] buffer, IncrementalHash hash)
    {
        var read = await body.ReadAsync(buffer);
        hash.AppendData(buffer, 0, read);
        return read;
    }

    /// <summary>What /download?mb=N must produce: the demo's deterministic payload, generated here independently of any server.</summary>
    private static string ExpectedDownloadSha256(int mebibytes)
    {
        var payload = new DemoPayload();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var chunk = new byte[64 * 1024];
        for (var i = 0; i < mebibytes * 16; i++)
        {
            payload.Fill(chunk);
            hash.AppendData(chunk);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static string Escape(string text) => System.Text.RegularExpressions.Regex.Escape(text);
}
