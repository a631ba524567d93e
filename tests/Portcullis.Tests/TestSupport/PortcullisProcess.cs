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

    /// <summary>Runs <c>portcullis ARGS</c> to its end; a run past <paramref name="deadline"/> is killed and fails the test.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string[] args, TimeSpan deadline)
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
        using var process = Process.Start(info)!;
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
