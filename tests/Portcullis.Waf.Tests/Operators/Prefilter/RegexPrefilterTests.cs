using Portcullis.Waf.Operators;
using Portcullis.Waf.Operators.Prefilter;

namespace Portcullis.Waf.Tests.Operators.Prefilter;

/// <summary>The two prefilter kinds on small patterns: they may let a value through the regex rejects, never the reverse.</summary>
public sealed class RegexPrefilterTests
{
    /// <summary>"busy" spelled as crs-toolchain's cmdline processor spells commands: the evasion gap after each letter.</summary>
    private static readonly string Busy = "(?i)(?:^|;)b" + EvasionGap.Unix + "u" + EvasionGap.Unix + "s" + EvasionGap.Unix + "y";

    [Theory]
    [InlineData(";busy", true, true)]
    [InlineData(";b\"u's\\y", true, true)]          // quotes and backslashes between the letters: deleted, then "busy"
    [InlineData(";b$@u$IFSsy", true, true)]         // a shell expansion in the gap: the prefilter lets every $ through
    [InlineData("$ not busy", true, false)]
    [InlineData("not busy", true, false)]           // the word is there; the regex decides
    [InlineData("blue running shoes", false, false)]
    [InlineData(";b-u-s-y", false, false)]
    public void EvasionGap_ValuesTheRegexMatches_AlwaysPass(string value, bool mayMatch, bool regexMatches)
    {
        var prefilter = RegexPrefilter.For(Busy);
        var regex = PcrePattern.Compile(Busy, TimeSpan.FromSeconds(1));

        Assert.NotNull(prefilter);
        Assert.True(prefilter.AfterGap);
        Assert.Equal(["busy"], prefilter.Literals);
        Assert.Equal(mayMatch, prefilter.MayMatch(value));
        Assert.Equal(regexMatches, regex.IsMatch(value));
    }

    [Fact]
    public void EvasionGap_LongValue_NormalisedInAPooledBuffer()
    {
        var prefilter = RegexPrefilter.For(Busy)!;

        Assert.True(prefilter.MayMatch(new string('"', 5000) + ";b'u's'y"));
        Assert.False(prefilter.MayMatch(new string('"', 5000) + "nothing"));
    }

    [Theory]
    [InlineData("(?i)union[\\s]+select", "1 UNION SELECT 2", true)]
    [InlineData("(?i)union[\\s]+select", "union station", false)]
    [InlineData("^\\d+$", "123", true)] // no literal: no prefilter at all
    public void RequiredLiterals_Kind(string pattern, string value, bool mayMatch)
    {
        var prefilter = RegexPrefilter.For(pattern);

        if (prefilter is null)
        {
            Assert.True(mayMatch);
            return;
        }
        Assert.False(prefilter.AfterGap);
        Assert.Equal(mayMatch, prefilter.MayMatch(value));
    }

    [Fact]
    public void ManyLiterals_UseTheAutomaton_SameAnswers()
    {
        var words = Enumerable.Range(0, 300).Select(i => $"word{i:D3}x").ToList();
        var prefilter = RegexPrefilter.For("(?i)(?:" + string.Join('|', words) + ")");

        Assert.NotNull(prefilter);
        Assert.Equal(300, prefilter.Literals.Count);
        Assert.True(prefilter.MayMatch("a WORD123X b"));
        Assert.False(prefilter.MayMatch("a word123 b"));
    }

    [Theory]
    [InlineData(@"[\n\r]", "\n,\r")]                       // header injection: a line break
    [InlineData(@"\$\{[^}]+\}", "${")]                     // template and shell expansion
    [InlineData(@"(?i)<\?[^x]", "<?")]                       // PHP open tag
    [InlineData(@"\{\{[^}]*\}\}", "{{")]
    [InlineData(@"(?i)\x5cu[0-9a-f]{4}", "\\u")]            // %u / \\u escapes
    public void ShortLiterals_WithARareCharacter_AreKept(string pattern, string expected)
    {
        var prefilter = RegexPrefilter.For(pattern);

        Assert.NotNull(prefilter);
        Assert.Equal(expected.Split(','), prefilter.Literals.Order(StringComparer.Ordinal));
        Assert.False(prefilter.MayMatch("Mozilla/5.0 (X11; Linux x86_64) text/html;q=0.9"));
    }

    [Theory]
    [InlineData("(?i)[oc]:[0-9]+:")]   // "o:" and "c:": short and common
    [InlineData("ab")]
    [InlineData("(?i)x[yz]")]
    public void ShortLiterals_OfCommonCharacters_GiveNoPrefilter(string pattern) => Assert.Null(RegexPrefilter.For(pattern));

    [Fact]
    public void ShortPunctuation_AsALastResort_QuoteOrWordPrefilter()
    {
        // 942190's shape: no literal of three letters in every branch, but every match holds "!", "(" or a SQL word.
        var prefilter = RegexPrefilter.For("""(?i)["'`](?:[\s\x0b]*!|;?[\s\x0b]*(?:having|select))|\b(?:user|database)[\s\x0b]*\(|[^0-9A-Z_a-z]iif\(""");

        Assert.NotNull(prefilter);
        Assert.False(prefilter.AfterGap);
        Assert.Equal(["!", "(", "having", "select"], prefilter.Literals.Order(StringComparer.Ordinal));
        Assert.True(prefilter.MayMatch("it' SELECT"));
        Assert.True(prefilter.MayMatch("USER ("));
        Assert.False(prefilter.MayMatch("Portland, 12 Main St."));
    }

    [Theory]
    [InlineData(@"(?:/|\.)[0-9]+")]   // a path or a dot: in most values
    [InlineData(@"-[0-9]")]
    [InlineData(@"[*/]x?")]
    public void ShortPunctuation_OfUbiquitousCharacters_GiveNoPrefilter(string pattern) => Assert.Null(RegexPrefilter.For(pattern));
}
