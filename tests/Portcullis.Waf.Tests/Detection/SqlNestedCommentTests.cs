using Portcullis.Waf.Detection;

namespace Portcullis.Waf.Tests.Detection;

/// <summary>
/// libinjection's nested-comment check (parse_slash): after finding the closing <c>*/</c> it looks for <c>/*</c> in
/// the bytes from just after the opening <c>/*</c> up to and including the <c>*</c> of the closing <c>*/</c>, so a
/// comment body ending in '/' (<c>/*/*/</c>, <c>/* a /*/</c>) opens a second comment and the input is "X"
/// (unparsable, always an injection). CRS 942101-9 depends on it: <c>/post/*/*/2 union all/bar</c>.
/// </summary>
public sealed class SqlNestedCommentTests
{
    private static string Bare(string input) => SqlInjectionDetector.Fingerprint(input, new SqlParseMode('\0', MySql: false));

    [Theory]
    [InlineData("/post/*/*/2 union all/bar")] // REQUEST_FILENAME of 942101-9 after t:urlDecodeUni
    [InlineData("/*/*/")]
    [InlineData("1 /* a /*/ or 1")]
    [InlineData("x/*/**/")] // "/*" inside the body proper, as before
    [InlineData("select /* a /* b */ 1")]
    public void Fingerprint_SlashStarStraddlingBodyOrClose_IsEvil(string input) =>
        Assert.Equal("X", Bare(input));

    [Theory]
    [InlineData("1 /**/ or 1", "1&1")] // empty body: only "*" before the closing '/', nothing nested
    [InlineData("1 /*/ or 1", "1c")] // no "*/" after the opening: a comment to the end, no nested "/*"
    [InlineData("1 /* a */ or 1", "1&1")]
    [InlineData("1 /* a*/ or 1", "1&1")]
    public void Fingerprint_PlainBlockComment_IsComment(string input, string expected) =>
        Assert.Equal(expected, Bare(input));

    [Fact]
    public void IsSqlInjection_Crs942101Stage9Filename_ReportsEvilFingerprint()
    {
        Assert.True(SqlInjectionDetector.IsSqlInjection("/post/*/*/2 union all/bar", out var fingerprint));
        Assert.Equal("X", fingerprint);
    }
}
