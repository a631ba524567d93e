using System.Diagnostics;

namespace Portcullis.Tests.TestSupport;

/// <summary>The real <c>portcullis</c> program (the test output's portcullis.dll) run as a child process, as a user runs it.</summary>
internal static class PortcullisProcess
{
    public static string ProgramPath { get; } = Path.Combine(AppContext.BaseDirectory, "portcullis.dll");

    /// <summary>The dotnet host that runs the tests (the SDK's, under <c>dotnet test</c>), else the one on PATH.</summary>
    public static string DotnetHost()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host))
        {
            return host;
        }
        var current = Environment.ProcessPath;
        return current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet" ? current : "dotnet";
    }

    /// <summary>How to start <c>portcullis ARGS</c> with its output redirected, plus extra environment variables.</summary>
    public static ProcessStartInfo StartInfo(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        info.ArgumentList.Add(ProgramPath);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }
        return info;
    }

    /// <summary>Runs <c>portcullis ARGS</c> to its end; a run past <paramref name="deadline"/> is killed and fails the test.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string[] args, TimeSpan deadline)
    {
        using var process = Process.Start(StartInfo(args))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(deadline);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"portcullis {string.Join(' ', args)} did not exit within {deadline.TotalSeconds} s");
        }
        return (process.ExitCode, await stdout, await stderr);
    }
}
