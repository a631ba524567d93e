using System.Text;
using Portcullis.Crs;
using Portcullis.Tests.TestSupport;

namespace Portcullis.Tests.Crs;

/// <summary>The small pieces of the fetch: digest parsing, version check, CRC-32, and the unpack target's path rules.</summary>
public sealed class CrsPartsTests
{
    [Theory]
    [InlineData("", 0x00000000u)]
    [InlineData("123456789", 0xCBF43926u)] // the standard CRC-32 check value
    [InlineData("The quick brown fox jumps over the lazy dog", 0x414FA339u)]
    public void Crc32_KnownInputs_MatchReferenceValues(string input, uint expected)
    {
        var crc = new Crc32();
        crc.Append(Encoding.ASCII.GetBytes(input));

        Assert.Equal(expected, crc.Value);
    }

    [Theory]
    [InlineData("E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855", true)]
    [InlineData(" e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n", true)]
    [InlineData("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85", false)]
    [InlineData("g3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", false)]
    [InlineData(null, false)]
    public void Sha256HexTryParse_Inputs_AcceptOnly64HexDigitsAsLowercase(string? text, bool ok)
    {
        Assert.Equal(ok, Sha256Hex.TryParse(text, out var digest));
        if (ok)
        {
            Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", digest);
        }
    }

    [Theory]
    [InlineData("4.28.0", true)]
    [InlineData("4.0.0-rc1", true)]
    [InlineData("4.28", false)]
    [InlineData("v4.28.0", false)]
    [InlineData("4.28.0/../../x", false)]
    public void CrsReleaseIsValidVersion_Inputs_AcceptOnlyReleaseNumbers(string version, bool ok)
    {
        Assert.Equal(ok, CrsRelease.IsValidVersion(version));
    }

    [Fact]
    public void CrsReleaseDefaultSource_Version_IsGitHubTagArchive()
    {
        Assert.Equal("https://github.com/coreruleset/coreruleset/archive/refs/tags/v4.28.0.tar.gz", CrsRelease.DefaultSource("4.28.0").AbsoluteUri);
    }

    [Theory]
    [InlineData("top/rules/x.conf", "rules/x.conf")]
    [InlineData("top/./rules//x.conf", "rules/x.conf")]
    [InlineData("./top/x.conf", "x.conf")]
    public void AddFile_SafeName_WritesBelowTheStrippedTopFolder(string name, string expected)
    {
        using var dir = new TempDirectory();
        var target = new CrsUnpackTarget(dir.Combine("out"), CrsArchiveLimits.Default);

        target.AddFile(name, new MemoryStream([42]), 1);

        Assert.Equal([42], File.ReadAllBytes(Path.Combine(dir.Combine("out"), expected)));
        Assert.Equal("top", target.TopFolder);
    }

    [Theory]
    [InlineData("../x")]
    [InlineData("top/../../x")]
    [InlineData("/etc/x")]
    [InlineData("top\\..\\..\\x")]
    [InlineData("top/a\0b")]
    [InlineData("x.conf")] // a file beside the top folder
    public void AddFile_UnsafeName_Throws(string name)
    {
        using var dir = new TempDirectory();
        var target = new CrsUnpackTarget(dir.Combine("out"), CrsArchiveLimits.Default);

        Assert.Throws<CrsFetchException>(() => target.AddFile(name, new MemoryStream([42]), 1));
        Assert.Empty(Directory.GetFiles(dir.Path, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public void AddFile_SameNameTwice_Throws()
    {
        using var dir = new TempDirectory();
        var target = new CrsUnpackTarget(dir.Combine("out"), CrsArchiveLimits.Default);
        target.AddFile("top/a.conf", new MemoryStream([1]), 1);

        Assert.Throws<CrsFetchException>(() => target.AddFile("top/a.conf", new MemoryStream([2]), 1));
        Assert.Equal([1], File.ReadAllBytes(dir.Combine("out/a.conf")));
    }

    [Fact]
    public void AddFile_StreamLongerThanDeclared_StopsAtTheByteLimit()
    {
        using var dir = new TempDirectory();
        var target = new CrsUnpackTarget(dir.Combine("out"), new CrsArchiveLimits { MaxUnpackedBytes = 1000 });

        // A bomb declares a small size and expands past it: the bytes written are what count.
        var ex = Assert.Throws<CrsFetchException>(() => target.AddFile("top/bomb", new MemoryStream(new byte[200_000]), 10));

        Assert.Contains("more than 1000 bytes", ex.Message, StringComparison.Ordinal);
        Assert.True(new FileInfo(dir.Combine("out/bomb")).Length <= 81920);
    }
}
