using Portcullis.Waf.Operators.Matching;

namespace Portcullis.Waf.Tests.Operators.Matching;

public sealed class PhraseMatcherTests
{
    [Theory]
    [InlineData("select from", "xx SELECT yy", true, "select")]
    [InlineData("select from", "nothing here", false, "")]
    [InlineData("abcd bc", "abcx", true, "bc")] // A suffix inside a longer partial phrase is found.
    [InlineData("he she his hers", "ushers", true, "she")] // Earliest end wins ("she" ends before "hers").
    [InlineData("bc abc", "xabc", true, "abc")] // At the same end, the longest phrase.
    [InlineData("\u00e9t\u00e9", "\u00c9T\u00c9", false, "")] // Bytes >= 0x80 do not fold.
    [InlineData("\u00e9t\u00e9", "\u00e9T\u00e9", true, "\u00e9t\u00e9")]
    [InlineData("a", "", false, "")]
    [InlineData("aaa aab", "aaaab", true, "aaa")]
    [InlineData("aab", "aaab", true, "aab")] // Failure links follow "aa" → "a".
    public void TryMatch_Input_FindsFirstPhrase(string parameter, string input, bool found, string phrase)
    {
        var matcher = PhraseMatcher.FromParameter(parameter);
        Assert.Equal(found, matcher.TryMatch(input, out var matched));
        Assert.Equal(phrase, matched);
    }

    [Theory]
    [InlineData("  a\tb\nc  ", new[] { "a", "b", "c" })]
    [InlineData("\"gzip compress\"", new[] { "gzip", "compress" })] // Quotes around the whole list are stripped, not grouping.
    [InlineData("\"a b", new[] { "\"a", "b" })]
    [InlineData("a\\;b c\\\\d", new[] { "a;b", "c\\d" })]
    [InlineData("|41 42|c", new[] { "ABc" })]
    [InlineData("a|b", new[] { "a|b" })]
    public void FromParameter_Text_SplitsAsModSecurity(string parameter, string[] phrases)
    {
        var matcher = PhraseMatcher.FromParameter(parameter);
        Assert.Equal(phrases.Length, matcher.Count);
        foreach (var phrase in phrases)
        {
            Assert.True(matcher.TryMatch("<" + phrase + ">", out var matched));
            Assert.Equal(phrase, matched);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void FromParameter_NoPhrase_Throws(string parameter) =>
        Assert.Throws<FormatException>(() => PhraseMatcher.FromParameter(parameter));

    [Fact]
    public void Constructor_CaseFoldedDuplicates_ReportsFirstSpelling()
    {
        var matcher = new PhraseMatcher(["Document.Cookie", "document.cookie", ""]);
        Assert.Equal(1, matcher.Count);
        Assert.True(matcher.TryMatch("x=DOCUMENT.COOKIE", out var phrase));
        Assert.Equal("Document.Cookie", phrase);
    }

    [Fact]
    public void Constructor_CharAboveByte_Throws() =>
        Assert.Throws<ArgumentException>(() => new PhraseMatcher(["\u0100"]));

    /// <summary>Cross-check against a naive search on random inputs over a small alphabet (many overlaps).</summary>
    [Fact]
    public void TryMatch_RandomInputs_AgreesWithNaiveSearch()
    {
        var random = new Random(4242);
        for (var round = 0; round < 200; round++)
        {
            var phrases = Enumerable.Range(0, random.Next(1, 8)).Select(_ => RandomText(random, random.Next(1, 5))).ToArray();
            var matcher = new PhraseMatcher(phrases);
            for (var probe = 0; probe < 20; probe++)
            {
                var input = RandomText(random, random.Next(0, 30));
                var expected = NaiveFirst(phrases, input);
                Assert.Equal(expected is not null, matcher.TryMatch(input, out var phrase));
                Assert.Equal(expected ?? string.Empty, phrase, StringComparer.OrdinalIgnoreCase);
            }
        }
    }

    private static string RandomText(Random random, int length) =>
        new(Enumerable.Range(0, length).Select(_ => "abAB"[random.Next(4)]).ToArray());

    private static string? NaiveFirst(string[] phrases, string input)
    {
        for (var end = 1; end <= input.Length; end++)
        {
            var hit = phrases
                .Where(p => p.Length <= end && input.AsSpan(end - p.Length, p.Length).Equals(p, StringComparison.OrdinalIgnoreCase))
                .OrderByDescending(p => p.Length)
                .FirstOrDefault();
            if (hit is not null)
            {
                return hit;
            }
        }
        return null;
    }
}
