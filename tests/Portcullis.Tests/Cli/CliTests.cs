using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Portcullis.Tests.TestSupport;

namespace Portcullis.Tests.Cli;

/// <summary>
/// The real built program (<c>dotnet portcullis.dll</c>, copied next to this test assembly) run as a child process:
/// exit codes, what it prints, and a demo that serves, logs and stops on a signal.
/// </summary>
public sealed class CliTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    /// <summary>A graceful stop with nothing in flight takes well under a second; Kestrel's drain timeout only matters with requests open.</summary>
    private static readonly TimeSpan StopDeadline = TimeSpan.FromSeconds(10);

    private static readonly string ProgramPath = PortcullisProcess.ProgramPath;

    [Fact]
    public async Task Version_PrintsVersionAndExits0()
    {
        var result = await RunAsync(["--version"]);

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith(Hosting.Version.Current, result.Stdout.Trim(), StringComparison.Ordinal);
        Assert.Matches(@"^\d+\.\d+\.\d+", result.Stdout.Trim());
    }

    [Fact]
    public async Task Help_ListsTheCommands()
    {
        var result = await RunAsync(["--help"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Matches(@"(?m)^\s+demo\s", result.Stdout);
        Assert.Matches(@"(?m)^\s+run\s", result.Stdout);
        Assert.Matches(@"(?m)^\s+validate\s", result.Stdout);
    }

    [Fact]
    public async Task UnknownCommand_Exits2WithUsageHint()
    {
        var result = await RunAsync(["frobnicate"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("frobnicate", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("--help", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_BadConfig_PrintsEveryErrorWithFileLineColumnAndExits2()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("bad.yaml", BadConfig(dir));

        var result = await RunAsync(["validate", "--config", path]);

        Assert.Equal(2, result.ExitCode);
        Assert.Matches($"(?m)^{Escape(path)}:3:1: .*unknown key 'bogus'", result.Stderr);
        Assert.Matches($"(?m)^{Escape(path)}:8:15: .*'nope' is not a path prefix", result.Stderr);
        Assert.Matches($"(?m)^{Escape(path)}:9:21: .*'ftp://x' is not an upstream URL", result.Stderr);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_BrokenWafRuleFile_PrintsRuleFileLineAndExits2()
    {
        using var dir = new TempDirectory();
        var rules = dir.Write("custom.conf", "SecAction \"id:1,phase:1,pass\"\nSecRule ARGS \"@rx x\" \"id:2,phase:1,pass,t:nosuch\"\n");
        var path = dir.Write("waf.yaml", GoodConfig(dir, TestPorts.GetFree()) + $"\nwaf: {{ rules: [\"{rules}\"] }}\n");

        var result = await RunAsync(["validate", "--config", path]);

        Assert.Equal(2, result.ExitCode);
        Assert.Matches($"(?m)^{Escape(rules)}:2: unknown transformation 'nosuch'", result.Stderr);
    }

    [Fact]
    public async Task Validate_GoodConfig_Exits0()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("good.yaml", GoodConfig(dir, TestPorts.GetFree()));

        var result = await RunAsync(["validate", "--config", path]);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("OK", result.Stdout, StringComparison.Ordinal);
        Assert.Equal("", result.Stderr);
    }

    [Fact]
    public async Task Run_BadConfig_Exits2WithoutStarting()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("bad.yaml", BadConfig(dir));

        var result = await RunAsync(["run", "--config", path]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("not started", result.Stderr, StringComparison.Ordinal);
        Assert.Matches($"(?m)^{Escape(path)}:3:1: ", result.Stderr);
        // Starting creates data_dir; a rejected config must not get that far.
        Assert.False(Directory.Exists(dir.Combine("data")), "data_dir was created: the gateway started");
    }

    [Fact]
    public async Task Run_HttpsPortTaken_Exits1WithClearMessage()
    {
        using var dir = new TempDirectory();
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var port = ((IPEndPoint)squatter.LocalEndpoint).Port;
        var path = dir.Write("good.yaml", GoodConfig(dir, port));

        var result = await RunAsync(["run", "--config", path]);

        Assert.Equal(1, result.ExitCode);
        Assert.Matches($"(?m)^cannot listen: .*127\\.0\\.0\\.1:{port}", result.Stderr);
        // One line that says what to do, not a stack trace on either stream.
        Assert.DoesNotContain("Unhandled exception", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(" at Microsoft.", result.Stderr + result.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("INT")]
    [InlineData("TERM")]
    public async Task Demo_ServesLogsAndStopsOnSignal_Exits0(string signal)
    {
        using var dir = new TempDirectory();
        var https = TestPorts.GetFree();
        var http = TestPorts.GetFree();
        var dataDir = dir.Combine("data");
        using var process = Start(["demo", "--https", $"127.0.0.1:{https}", "--http", $"127.0.0.1:{http}", "--data-dir", dataDir], out var stdout, out var stderr);
        try
        {
            var home = await PollHomePageAsync(https, process, stderr);
            var log = Path.Combine(dataDir, "logs", "access.log");
            var line = await PollAsync(() => ReadShared(log).Split('\n').FirstOrDefault(l => l.Contains("\"http.request.method\"", StringComparison.Ordinal)));

            await SignalAsync(process, signal);
            var exited = await WaitForExitAsync(process, StopDeadline);

            Assert.Contains("Portcullis demo application", home, StringComparison.Ordinal);
            Assert.NotNull(line);
            Assert.Contains("\"url.path\":\"/\"", line, StringComparison.Ordinal);
            Assert.True(exited, $"still running {StopDeadline.TotalSeconds} s after SIG{signal}; stderr: {stderr}");
            Assert.Equal(0, process.ExitCode);
            Assert.Contains("Portcullis demo is running", stdout.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }
    }

    private static string GoodConfig(TempDirectory dir, int httpsPort) => $$"""
        listen: { https: "127.0.0.1:{{httpsPort}}", http: off }
        data_dir: "{{dir.Combine("data")}}"
        sites:
          - name: app
            hosts: [app.test]
            routes:
              - path: /
                upstreams: ["http://127.0.0.1:9"]
        """;

    /// <summary>Three errors at known places: line 3 col 1, line 8 col 15, line 9 col 21.</summary>
    private static string BadConfig(TempDirectory dir) => $$"""
        listen: { https: "127.0.0.1:{{TestPorts.GetFree()}}", http: off }
        data_dir: "{{dir.Combine("data")}}"
        bogus: 1
        sites:
          - name: app
            hosts: [app.test]
            routes:
              - path: nope
                upstreams: ["ftp://x"]
        """;

    private static async Task<string> PollHomePageAsync(int port, Process process, StringBuilder stderr)
    {
        using var client = new HttpClient(new SocketsHttpHandler
        {
            UseProxy = false,
            SslOptions = new System.Net.Security.SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, _, _, _) => true },
        })
        { Timeout = TimeSpan.FromSeconds(5) };
        var watch = Stopwatch.StartNew();
        while (true)
        {
            Assert.False(process.HasExited, $"the demo exited early with {(process.HasExited ? process.ExitCode : 0)}: {stderr}");
            try
            {
                using var response = await client.GetAsync(new Uri($"https://127.0.0.1:{port}/"));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return await response.Content.ReadAsStringAsync();
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            Assert.True(watch.Elapsed < Deadline, $"the demo did not serve its home page within {Deadline.TotalSeconds} s: {stderr}");
            await Task.Delay(100);
        }
    }

    private static async Task<string?> PollAsync(Func<string?> read)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(5))
        {
            if (read() is { } found)
            {
                return found;
            }
            await Task.Delay(50);
        }
        return null;
    }

    private static string ReadShared(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd();
        }
        catch (IOException)
        {
            return "";
        }
    }

    private static async Task SignalAsync(Process process, string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", process.Id.ToString(CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        Assert.Equal(0, kill.ExitCode);
    }

    private static async Task<bool> WaitForExitAsync(Process process, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string[] args)
    {
        using var process = Start(args, out var stdout, out var stderr);
        if (!await WaitForExitAsync(process, Deadline))
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Assert.Fail($"portcullis {string.Join(' ', args)} did not exit within {Deadline.TotalSeconds} s; stderr: {stderr}");
        }
        // The parameterless wait also drains the redirected output.
        await process.WaitForExitAsync();
        return (process.ExitCode, stdout.ToString(), stderr.ToString());
    }

    private static Process Start(string[] args, out StringBuilder stdout, out StringBuilder stderr)
    {
        var info = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        // A test process that inherited SIGINT as ignored (a non-interactive shell's background job) passes that on
        // to its children; env resets it so the child can be interrupted like one started from a terminal.
        if (SigIntIgnored() && File.Exists("/usr/bin/env"))
        {
            info.FileName = "/usr/bin/env";
            info.ArgumentList.Add("--default-signal=INT");
            info.ArgumentList.Add(DotnetHost());
        }
        info.ArgumentList.Add(ProgramPath);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        var output = new StringBuilder();
        var errors = new StringBuilder();
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (output)
                {
                    output.AppendLine(e.Data);
                }
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (errors)
                {
                    errors.AppendLine(e.Data);
                }
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        stdout = output;
        stderr = errors;
        return process;
    }

    /// <summary>The dotnet host running these tests, so the child uses the same runtime.</summary>
    private static string DotnetHost() => PortcullisProcess.DotnetHost();

    private static bool SigIntIgnored()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        return line is not null && (ulong.Parse(line[7..].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture) & (1UL << (2 - 1))) != 0;
    }

    private static string Escape(string text) => System.Text.RegularExpressions.Regex.Escape(text);
}
