using Portcullis.Tests.TestSupport;

namespace Portcullis.Tests.Crs;

/// <summary>The built program (<c>dotnet portcullis.dll crs fetch ...</c>) as a child process: the command is wired in and exits as documented.</summary>
public sealed class CrsFetchProgramTests
{

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

    private static Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] args) =>
        PortcullisProcess.RunAsync(args, TimeSpan.FromSeconds(60));
}
