using Portcullis.Waf.Operators.Prefilter;

namespace Portcullis.Waf.Tests.Operators.Prefilter;

public sealed class RequiredLiteralsTests
{
    [Theory]
    [InlineData("abc", "abc")]
    [InlineData("(?i)SeLeCt", "select")]
    [InlineData("SELECT", "select")]
    [InlineData("foo|bar", "bar,foo")]
    [InlineData("[Ss]elect", "select")]
    [InlineData("(?:a|b)cd", "acd,bcd")]
    [InlineData("xy[0-9]abcd", "abcd")]
    [InlineData("(?:abc)+", "abc")]
    [InlineData("(?:abc){2,}", "abcabc")]
    [InlineData("(?:abc)*def", "def")]
    [InlineData("(?:abc)?def", "def")]
    [InlineData("(?:abc){0,5}def", "def")]
    [InlineData(@"union\s+select", "select")]
    [InlineData(@"union\s*(?:all\s+)?select", "select")]
    [InlineData("<script[^>]*>", "<script")]
    [InlineData(@"\x{41}BC", "abc")]
    [InlineData(@"\x41\x42c", "abc")]
    [InlineData("a{3}", "aaa")]
    [InlineData("ab{2,}c", "abb")]
    [InlineData("(?i:ABC)def", "abcdef")]
    [InlineData(@"^foo\bbar$", "foobar")]
    [InlineData("(?=abc)def", "def")]
    [InlineData("(?!abc)def", "def")]
    [InlineData("(?is)a.bcd", "bcd")]
    [InlineData("(?:ab|cd)(?:ef|gh)", "abef,abgh,cdef,cdgh")]
    [InlineData("[abcdefgh]xyz", "axyz,bxyz,cxyz,dxyz,exyz,fxyz,gxyz,hxyz")]
    [InlineData("[abcdefghi]xyz", "xyz")]
    [InlineData(@"[\-_]{2}xy", "--xy,-_xy,_-xy,__xy")]
    [InlineData(@"\.\./", "../")]
    [InlineData(@"\$\{jndi:", "${jndi:")]
    [InlineData(@"a\tbc", "a\tbc")]
    [InlineData(@"[]x]yz", "]yz,xyz")]
    [InlineData(@"(?:foo|foobar)baz", "foobarbaz,foobaz")]
    [InlineData(@"(?:foo|xfoo)baz", "foobaz")]
    [InlineData(@"(?:abc|abcdef|xyz)", "abc,xyz")]
    public void Analyze_Pattern_ReturnsExpectedLiterals(string pattern, string expected)
    {
        var literals = RequiredLiterals.Analyze(pattern);

        Assert.NotNull(literals);
        Assert.Equal(expected.Split(','), literals);
    }

    [Theory]
    [InlineData(@"^\d+$")]
    [InlineData(".*")]
    [InlineData("")]
    [InlineData("a")]
    [InlineData("ab")]
    [InlineData(@"abc|\d+")]
    [InlineData("(?:abc)?")]
    [InlineData("(?:abc)*")]
    [InlineData("(?:abc){0,3}")]
    [InlineData("x[0-9]yz")]
    [InlineData("abc|de")]
    [InlineData(@"[^a]bc")]
    public void Analyze_NoUsefulLiteral_ReturnsNull(string pattern)
    {
        Assert.Null(RequiredLiterals.Analyze(pattern));
    }

    // Syntax the parser does not read exactly is refused rather than guessed at.
    [Theory]
    [InlineData(@"(abc)\1")]
    [InlineData("a{,3}bcd")]
    [InlineData("abcd{")]
    [InlineData("abc{x}")]
    [InlineData("(?x)abc")]
    [InlineData("[[:alpha:]]abc")]
    [InlineData(@"\Qabc\E")]
    [InlineData("abc(?#note)")]
    [InlineData("ab++cde")]
    [InlineData("abc*?+")]
    [InlineData("(?<name>abc)")]
    [InlineData("(?>abc)")]
    [InlineData(@"[\w-.]abc")]
    [InlineData(@"[a-\d]abc")]
    [InlineData("[a-[b]]abc")]
    [InlineData("[z-a]abc")]
    [InlineData("abc)")]
    [InlineData("(abc")]
    [InlineData("[abc")]
    [InlineData(@"\p{L}abc")]
    [InlineData(@"abc\")]
    [InlineData(@"\x{100}abc")]
    [InlineData("abc\u0100")]
    [InlineData("*abc")]
    [InlineData("^*abc")]
    [InlineData(@"[\b]abc")]
    [InlineData(@"\Gabc")]
    public void Analyze_UnsupportedSyntax_ReturnsNull(string pattern)
    {
        Assert.Null(RequiredLiterals.Analyze(pattern));
    }

    [Theory]
    [InlineData("ab?c", "abc,ac")]
    [InlineData("ab", "ab")]
    public void Analyze_ShorterMinimumLength_AcceptsTwoCharLiterals(string pattern, string expected)
    {
        var literals = RequiredLiterals.Analyze(pattern, new PrefilterLimits(MinLiteralLength: 2));

        Assert.Equal(expected.Split(','), literals);
    }

    [Fact]
    public void Analyze_HighBytes_NeverFoldCase()
    {
        // PCRE's C locale folds only A-Z: É (0xC9) stays É under (?i).
        var literals = RequiredLiterals.Analyze(@"(?i)\xC9T\xe2\x80");

        Assert.Equal(["\u00C9t\u00E2\u0080"], literals);
    }

    [Fact]
    public void Analyze_AlternationBeyondLiteralLimit_ShortensToFit()
    {
        // 100 three-byte branches k00..k99 do not fit 64 literals; cutting each to its first two bytes does.
        var pattern = string.Join('|', Enumerable.Range(0, 100).Select(i => $"k{i:D2}"));

        var literals = RequiredLiterals.Analyze(pattern, new PrefilterLimits(MinLiteralLength: 2));

        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"k{i}"), literals);
    }

    [Fact]
    public void Analyze_AlternationWithinLiteralLimit_KeepsWholeBranches()
    {
        var pattern = string.Join('|', Enumerable.Range(0, 100).Select(i => $"k{i:D2}"));

        var literals = RequiredLiterals.Analyze(pattern, new PrefilterLimits(MaxLiterals: 100));

        Assert.Equal(100, literals!.Count);
        Assert.Contains("k57", literals);
    }

    [Fact]
    public void Analyze_ClassWiderThanFanOut_CountsAsAnyByte()
    {
        Assert.Equal(["xyz"], RequiredLiterals.Analyze("[abc]xyz", new PrefilterLimits(MaxClassFanOut: 2)));
        Assert.Equal(["axyz", "bxyz", "cxyz"], RequiredLiterals.Analyze("[abc]xyz", new PrefilterLimits(MaxClassFanOut: 3)));
    }

    [Theory]
    [InlineData("xx SeLeCT yy", "select", true)]
    [InlineData("sel ect", "select", false)]
    [InlineData("\u00C9", "\u00E9", false)]
    [InlineData("abc", "zzz,abc", true)]
    public void ContainsAny_Value_ComparesAsciiCaseInsensitively(string value, string literals, bool expected)
    {
        Assert.Equal(expected, RequiredLiterals.ContainsAny(value, literals.Split(',')));
    }
}
