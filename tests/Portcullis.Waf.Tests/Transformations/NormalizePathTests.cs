namespace Portcullis.Waf.Tests.Transformations;

public sealed class NormalizePathTests
{
    [Theory]
    [InlineData("", "")]
    [InlineData("/a/b/c", "/a/b/c")]
    [InlineData("/a/./b/../../c//d", "/c/d")]
    [InlineData("/etc/./passwd", "/etc/passwd")]
    [InlineData("/a/b/../../../etc/passwd", "/etc/passwd")] // Never above the root of an absolute path.
    [InlineData("a/b/../c", "a/c")]
    [InlineData("../../etc/passwd", "../../etc/passwd")] // A relative path keeps what it cannot resolve.
    [InlineData("./a", "a")]
    [InlineData("a//b///c", "a/b/c")]
    [InlineData("/a/b/", "/a/b/")] // A trailing slash survives when it was there.
    [InlineData("/a/b/..", "/a")]
    [InlineData("/..", "")] // v2 keeps the root slash, then drops it as a trailing slash the input lacked.
    [InlineData(".", "")]
    [InlineData("ab..", "")] // v2 quirk: ".." is recognised from the chars, not the segment.
    [InlineData("file.txt", "file.txt")]
    [InlineData("a\\..\\b", "a\\..\\b")] // Backslashes are not separators here.
    public void Apply_Input_NormalisesAsModSecurity(string input, string expected) =>
        TransformationAssert.Transforms("normalizePath", input, expected);

    [Theory]
    [InlineData("C:\\a\\..\\b\\.\\c", "C:/b/c")]
    [InlineData("\\windows\\system32\\..\\win.ini", "/windows/win.ini")]
    [InlineData("a/b\\..\\c", "a/c")]
    [InlineData("plain", "plain")]
    public void Apply_WindowsPath_TreatsBackslashAsSeparator(string input, string expected) =>
        TransformationAssert.Transforms("normalizePathWin", input, expected);

    [Fact]
    public void Registry_BritishSpelling_IsTheSameTransformation()
    {
        Assert.True(Portcullis.Waf.Transformations.TransformationRegistry.TryGet("normalisePath", out var british));
        Assert.True(Portcullis.Waf.Transformations.TransformationRegistry.TryGet("normalizePath", out var american));
        Assert.Same(american, british);
    }
}
