using System.Formats.Tar;
using System.IO.Compression;
using Portcullis.Cli;
using Portcullis.Crs;
using Portcullis.Tests.TestSupport;
using Portcullis.Waf.Rules;

namespace Portcullis.Tests.Crs;

/// <summary>
/// <c>portcullis crs fetch</c> end to end through <see cref="CrsCommand.RunAsync"/>: archives built from ../shared/crs,
/// served over real HTTP on 127.0.0.1, installed into a temporary data_dir.
/// </summary>
public sealed class CrsFetchCommandTests : IAsyncDisposable
{
    private static readonly Lazy<byte[]> GoodTarGz = new(() => CrsArchiveBuilder.TarGz());

    private readonly TempDirectory _dir = new();
    private readonly ArchiveServer _server = new();

    private string DataDir => _dir.Combine("data");

    private string Installed => Path.Combine(DataDir, "crs");

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task Fetch_GoodArchiveRightSha_InstallsIdenticalFilesThatLoad()
    {
        var url = _server.Add("/v4.28.0.tar.gz", GoodTarGz.Value);

        var (exit, stdout, stderr) = await FetchAsync(url, CrsArchiveBuilder.Sha256(GoodTarGz.Value));

        Assert.True(exit == 0, stderr);
        foreach (var (name, path) in CrsArchiveBuilder.SourceFiles())
        {
            Assert.Equal(await File.ReadAllBytesAsync(path), await File.ReadAllBytesAsync(Path.Combine(Installed, name)));
        }
        Assert.Equal(CrsArchiveBuilder.SourceFiles().Count + 1, Directory.GetFiles(Installed, "*", SearchOption.AllDirectories).Length);
        Assert.Equal(await File.ReadAllTextAsync(Path.Combine(Installed, "crs-setup.conf.example")), await File.ReadAllTextAsync(Path.Combine(Installed, "crs-setup.conf")));
        Assert.True(RuleSetLoader.LoadCrs(Installed).RuleCount > 100);
        Assert.Contains($"waf: {{ crs: {Installed} }}", stdout, StringComparison.Ordinal);
        Assert.Equal(["crs"], Directory.GetFileSystemEntries(DataDir).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Fetch_ZipArchive_Installs()
    {
        var zip = CrsArchiveBuilder.Zip();
        var url = _server.Add("/crs.zip", zip);

        var (exit, _, stderr) = await FetchAsync(url, CrsArchiveBuilder.Sha256(zip));

        Assert.True(exit == 0, stderr);
        Assert.True(File.Exists(Path.Combine(Installed, "rules", "REQUEST-942-APPLICATION-ATTACK-SQLI.conf")));
    }

    [Fact]
    public async Task Fetch_FileUrl_Installs()
    {
        var path = _dir.Combine("crs.tar.gz");
        await File.WriteAllBytesAsync(path, GoodTarGz.Value);

        var (exit, _, stderr) = await FetchAsync(new Uri(path).AbsoluteUri, CrsArchiveBuilder.Sha256(GoodTarGz.Value));

        Assert.True(exit == 0, stderr);
        Assert.True(File.Exists(Path.Combine(Installed, "crs-setup.conf")));
    }

    [Fact]
    public async Task Fetch_SecondTime_KeepsPreviousVersionAndUsersSetup()
    {
        var url = _server.Add("/crs.tar.gz", GoodTarGz.Value);
        var sha = CrsArchiveBuilder.Sha256(GoodTarGz.Value);
        Assert.Equal(0, (await FetchAsync(url, sha)).ExitCode);
        await File.WriteAllTextAsync(Path.Combine(Installed, "crs-setup.conf"), "# my settings\n");
        await File.WriteAllTextAsync(Path.Combine(Installed, "marker"), "old");

        var (exit, stdout, stderr) = await FetchAsync(url, sha);

        Assert.True(exit == 0, stderr);
        Assert.Equal("# my settings\n", await File.ReadAllTextAsync(Path.Combine(Installed, "crs-setup.conf")));
        Assert.False(File.Exists(Path.Combine(Installed, "marker")));
        Assert.Equal("old", await File.ReadAllTextAsync(Path.Combine(DataDir, "crs.previous", "marker")));
        Assert.Contains("crs.previous", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fetch_WrongSha_Exits1AndLeavesInstalledVersion()
    {
        InstallOldVersion();
        var url = _server.Add("/crs.tar.gz", GoodTarGz.Value);

        var (exit, _, stderr) = await FetchAsync(url, CrsArchiveBuilder.Sha256([1, 2, 3]));

        Assert.Equal(ExitCodes.RuntimeFailure, exit);
        Assert.Contains("SHA-256 mismatch", stderr, StringComparison.Ordinal);
        Assert.Contains(CrsArchiveBuilder.Sha256(GoodTarGz.Value), stderr, StringComparison.Ordinal);
        AssertOldVersionUntouched();
    }

    [Theory]
    [InlineData(50, 0)] // cut mid-stream: the tar reader runs out
    [InlineData(100, 5)] // only the gzip trailer cut: GZipStream does not notice, the CRC check does
    [InlineData(100, 4096)] // cut in the last deflate blocks
    [InlineData(1, 0)] // a few bytes of header
    public async Task Fetch_TruncatedArchiveWithItsOwnSha_RefusedAsUnreadable(int keepPercent, int dropTail)
    {
        InstallOldVersion();
        var good = GoodTarGz.Value;
        var broken = good[..((good.Length * keepPercent / 100) - dropTail)];
        var url = _server.Add("/crs.tar.gz", broken);

        var (exit, _, stderr) = await FetchAsync(url, CrsArchiveBuilder.Sha256(broken));

        Assert.Equal(ExitCodes.RuntimeFailure, exit);
        Assert.Contains("unreadable", stderr, StringComparison.Ordinal);
        AssertOldVersionUntouched();
    }

    [Theory]
    [InlineData("../evil")]
    [InlineData("coreruleset-4.28.0/../../evil")]
    [InlineData("coreruleset-4.28.0/rules/../../../evil")]
    [InlineData("/tmp/evil")]
    public async Task Fetch_EntryOutsideTheTarget_RefusedAndNothingWritten(string name)
    {
        InstallOldVersion();
        var hostile = CrsArchiveBuilder.TarGz(tar => CrsArchiveBuilder.AddFile(tar, name, "pwned"));
        var url = _server.Add("/crs.tar.gz", hostile);

        var (exit, _, stderr) = await FetchAsync(url, CrsArchiveBuilder.Sha256(hostile));

        Assert.Equal(ExitCodes.RuntimeFailure, exit);
        Assert.Contains("refusing the archive", stderr, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_dir.Path, "evil", SearchOption.AllDirectories));
        AssertOldVersionUntouched();
    }

    [Fact]
    public async Task Fetch_ZipEntryOutsideTheTarget_Refused()
    {
        var hostile = CrsArchiveBuilder.Zip(zip => zip.CreateEntry("../evil"));
        var url = _server.Add("/crs.zip", hostile);

        var (exit, _, stderr) = await FetchAsync(url, CrsArchiveBuilder.Sha256(hostile));

        Assert.Equal(ExitCodes.RuntimeFailure, exit);
        Assert.Contains("'..'", stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Installed));
    }

    [Theory]
    [InlineData(TarEntryType.SymbolicLink)]
    [InlineData(TarEntryType.HardLink)]
    public async Task Fetch_LinkEntry_Refused(TarEntryType type)
    {
        var hostile = CrsArchiveBuilder.TarGz(tar => tar.WriteEntry(new PaxTarEntry(type, "coreruleset-4.28.0/rules/link.conf") { LinkName = "/etc/passwd" }));
        var url = _server.Add("/crs.tar.gz", hostile);

        var (exit, _, stderr) = await FetchAsync(url, CrsArchiveBuilder.Sha256(hostile));

        Assert.Equal(ExitCodes.RuntimeFailure, exit);
        Assert.Contains("is a link", stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Installed));
    }

    [Fact]
    public async Task Fetch_ZipSymlinkEntry_Refused()
    {
        var hostile = CrsArchiveBuilder.Zip(zip =>
        {
            var link = zip.CreateEntry("coreruleset-4.28.0/rules/link.conf");
            link.ExternalAttributes = unchecked((int)0xA1FF0000); // S_IFLNK | 0777, Info-ZIP style
            using var writer = new StreamWriter(link.Open());
            writer.Write("/etc/passwd");
        });
        var url = _server.Add("/crs.zip", hostile);

        var (exit, _, stderr) = await FetchAsync(url, CrsArchiveBuilder.Sha256(hostile));

        Assert.Equal(ExitCodes.RuntimeFailure, exit);
        Assert.Contains("is a link", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fetch_SecondTopFolder_Refused()
    {
        var hostile = CrsArchiveBuilder.TarGz(tar => CrsArchiveBuilder.AddFile(tar, "other/x.conf", "x"));
        var url = _server.Add("/crs.tar.gz", hostile);

        var (exit, _, stderr) = await FetchAsync(url, CrsArchiveBuilder.Sha256(hostile));

        Assert.Equal(ExitCodes.RuntimeFailure, exit);
        Assert.Contains("top folder", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fetch_ArchiveWithoutRules_RefusedAsNotCrs()
    {
        var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip, leaveOpen: true))
        {
            CrsArchiveBuilder.AddFile(tar, "project-1.0/README.md", "not CRS");
        }
        var url = _server.Add("/x.tar.gz", output.ToArray());

        var (exit, _, stderr) = await FetchAsync(url, CrsArchiveBuilder.Sha256(output.ToArray()));

        Assert.Equal(ExitCodes.RuntimeFailure, exit);
        Assert.Contains("does not look like the OWASP Core Rule Set", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fetch_RulesThatDoNotLoad_RefusedBeforeInstalling()
    {
        InstallOldVersion();
        var broken = CrsArchiveBuilder.TarGz(tar => CrsArchiveBuilder.AddFile(tar, "coreruleset-4.28.0/rules/ZZZ-broken.conf", "SecRule ARGS \"@nosuchop x\" \"id:1,phase:1,pass\"\n"));
        var url = _server.Add("/crs.tar.gz", broken);

        var (exit, _, stderr) = await FetchAsync(url, CrsArchiveBuilder.Sha256(broken));

        Assert.Equal(ExitCodes.RuntimeFailure, exit);
        Assert.Contains("do not load", stderr, StringComparison.Ordinal);
        AssertOldVersionUntouched();
    }

    [Fact]
    public async Task Fetch_NotAnArchive_Refused()
    {
        var html = "<html>not found</html>"u8.ToArray();
        var url = _server.Add("/crs.tar.gz", html);

        var (exit, _, stderr) = await FetchAsync(url, CrsArchiveBuilder.Sha256(html));

        Assert.Equal(ExitCodes.RuntimeFailure, exit);
        Assert.Contains("not a .tar.gz or .zip", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fetch_Http404_ClearErrorAndExit1()
    {
        InstallOldVersion();

        var (exit, _, stderr) = await FetchAsync(_server.BaseUrl + "/missing.tar.gz", CrsArchiveBuilder.Sha256(GoodTarGz.Value));

        Assert.Equal(ExitCodes.RuntimeFailure, exit);
        Assert.Contains("the server answered 404", stderr, StringComparison.Ordinal);
        Assert.Equal(1, _server.Requests);
        AssertOldVersionUntouched();
    }

    [Fact]
    public async Task Fetch_NothingListening_ClearErrorAndExit1()
    {
        var (exit, _, stderr) = await FetchAsync($"http://127.0.0.1:{TestPorts.GetFree()}/crs.tar.gz", CrsArchiveBuilder.Sha256(GoodTarGz.Value));

        Assert.Equal(ExitCodes.RuntimeFailure, exit);
        Assert.Contains("cannot download", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("download", "more than the 1000-byte limit")]
    [InlineData("unpacked", "unpacks to more than 100000 bytes")]
    [InlineData("entries", "more than 10 entries")]
    public async Task Fetch_ArchiveOverALimit_Refused(string limit, string message)
    {
        InstallOldVersion();
        var url = _server.Add("/crs.tar.gz", GoodTarGz.Value);

        var limits = limit switch
        {
            "download" => new CrsArchiveLimits { MaxDownloadBytes = 1000 },
            "unpacked" => new CrsArchiveLimits { MaxUnpackedBytes = 100_000 },
            _ => new CrsArchiveLimits { MaxEntries = 10 },
        };

        var (exit, _, stderr) = await FetchAsync(url, CrsArchiveBuilder.Sha256(GoodTarGz.Value), limits: limits);

        Assert.Equal(ExitCodes.RuntimeFailure, exit);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
        AssertOldVersionUntouched();
    }

    [Fact]
    public async Task Fetch_ZipOverEntryLimit_Refused()
    {
        var zip = CrsArchiveBuilder.Zip();
        var url = _server.Add("/crs.zip", zip);

        var (exit, _, stderr) = await FetchAsync(url, CrsArchiveBuilder.Sha256(zip), limits: new CrsArchiveLimits { MaxEntries = 10 });

        Assert.Equal(ExitCodes.RuntimeFailure, exit);
        Assert.Contains("more than 10 entries", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("4.28", null, "not a CRS version")]
    [InlineData("4.28.0/../x", null, "not a CRS version")]
    [InlineData("4.28.0", "ftp://127.0.0.1/crs.tar.gz", "not an http, https or file URL")]
    [InlineData("4.28.0", "crs.tar.gz", "not an http, https or file URL")]
    public async Task Fetch_BadArguments_Exits2(string version, string? from, string message)
    {
        var (exit, _, stderr) = await RunAsync(new CrsFetchArguments(version, from, new string('a', 64), null, DataDir));

        Assert.Equal(ExitCodes.UsageOrConfigError, exit);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
        Assert.Equal(0, _server.Requests);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz")]
    public async Task Fetch_MalformedSha_Exits2(string sha)
    {
        var (exit, _, stderr) = await FetchAsync(_server.BaseUrl + "/crs.tar.gz", sha);

        Assert.Equal(ExitCodes.UsageOrConfigError, exit);
        Assert.Contains("--sha256 takes 64 hex digits", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fetch_NoShaForUnknownVersion_Exits2WithoutDownloading()
    {
        var (exit, _, stderr) = await RunAsync(new CrsFetchArguments("4.99.0", _server.BaseUrl + "/crs.tar.gz", null, null, DataDir));

        Assert.Equal(ExitCodes.UsageOrConfigError, exit);
        Assert.Contains("--sha256", stderr, StringComparison.Ordinal);
        Assert.Equal(0, _server.Requests);
        Assert.False(Directory.Exists(DataDir));
    }

    [Fact]
    public async Task Fetch_DataDirAndConfigBoth_Exits2()
    {
        var (exit, _, stderr) = await RunAsync(new CrsFetchArguments("4.28.0", _server.BaseUrl + "/crs.tar.gz", new string('a', 64), "x.yaml", DataDir));

        Assert.Equal(ExitCodes.UsageOrConfigError, exit);
        Assert.Contains("not both", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fetch_DataDirFromConfig_InstallsThere()
    {
        var config = _dir.Write("portcullis.yaml", $$"""
            listen: { https: "127.0.0.1:{{TestPorts.GetFree()}}", http: off }
            data_dir: "{{_dir.Combine("from-config")}}"
            sites:
              - name: app
                hosts: [app.test]
                routes:
                  - path: /
                    upstreams: ["http://127.0.0.1:9"]
            """);
        var url = _server.Add("/crs.tar.gz", GoodTarGz.Value);

        var (exit, _, stderr) = await RunAsync(new CrsFetchArguments("4.28.0", url, CrsArchiveBuilder.Sha256(GoodTarGz.Value), config, null));

        Assert.True(exit == 0, stderr);
        Assert.True(File.Exists(_dir.Combine("from-config/crs/crs-setup.conf")));
    }

    [Fact]
    public async Task Fetch_BadConfig_Exits2WithItsErrors()
    {
        var config = _dir.Write("bad.yaml", "data_dir: [\n");

        var (exit, _, stderr) = await RunAsync(new CrsFetchArguments("4.28.0", _server.BaseUrl + "/crs.tar.gz", new string('a', 64), config, null));

        Assert.Equal(ExitCodes.UsageOrConfigError, exit);
        Assert.Contains(config, stderr, StringComparison.Ordinal);
        Assert.Equal(0, _server.Requests);
    }

    private void InstallOldVersion()
    {
        Directory.CreateDirectory(Path.Combine(Installed, "rules"));
        File.WriteAllText(Path.Combine(Installed, "rules", "OLD.conf"), "# 4.27\n");
    }

    private void AssertOldVersionUntouched()
    {
        Assert.Equal(["OLD.conf"], Directory.GetFiles(Path.Combine(Installed, "rules")).Select(Path.GetFileName));
        Assert.Equal("# 4.27\n", File.ReadAllText(Path.Combine(Installed, "rules", "OLD.conf")));
        // No staging folder left behind, no crs.previous made.
        Assert.Equal(["crs"], Directory.GetFileSystemEntries(DataDir).Select(Path.GetFileName));
    }

    private Task<(int ExitCode, string Stdout, string Stderr)> FetchAsync(string url, string sha, CrsArchiveLimits? limits = null) =>
        RunAsync(new CrsFetchArguments("4.28.0", url, sha, null, DataDir), limits);

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(CrsFetchArguments arguments, CrsArchiveLimits? limits = null)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await CrsCommand.RunAsync(arguments, stdout, stderr, CancellationToken.None, limits);
        return (exit, stdout.ToString(), stderr.ToString());
    }
}
