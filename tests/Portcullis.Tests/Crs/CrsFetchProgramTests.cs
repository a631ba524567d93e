using System.Diagnostics;
using Portcullis.Tests.TestSupport;

namespace Portcullis.Tests.Crs;

/// <summary>The built program (<c>dotnet portcullis.dll crs fetch ...</c>) as a child process: the command is wired in and exits as documented.</summary>
public sealed class CrsFetchProgramTests
{
    private static readonly string ProgramPath = Path.Combine(AppContext.BaseDirectory, "portcullis.dll");

    [Fact]
    public async Task CrsFetch_RealProgramOverHttp_InstallsAndExits0()
    {
        using var dir = new TempDirectory();
        await using var server = new ArchiveServer();
        var archive = CrsArchiveBuilder.TarGz();
        var url = server.Add("/coreruleset/v4.28.0.tar.gz", archive);

        var (exit, stdout, stderr) = await RunAsync("crs", "fetch", "--version", "4.28.0", "--from", url, "--sha256", CrsArchiveBuilder.Sha256(archive).ToUpperInvariant(), "--data-dir", dir.Combine("data"));

        Assert.True(exit == 0, stderr);
        Assert.Contains("Installed CRS 4.28.0 (coreruleset-4.28.0/", stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(dir.Combine("data/crs/crs-setup.conf")));
    }

    [Fact]
    public async Task CrsFetch_RealProgramWithoutSha_Exits2()
    {
        using var dir = new TempDirectory();

        var (exit, _, stderr) = await RunAsync("crs", "fetch", "--version", "4.99.0", "--from", "http://127.0.0.1:9/x.tar.gz", "--data-dir", dir.Combine("data"));

        Assert.Equal(2, exit);
        Assert.Contains("--sha256", stderr, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        var current = Environment.ProcessPath;
        var host = current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet" ? current : "dotnet";
        var info = new ProcessStartInfo(host) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Path.GetTempPath() };
        info.ArgumentList.Add(ProgramPath);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        return (process.ExitCode, await stdout, await stderr);
    }
}
