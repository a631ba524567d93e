using Portcullis.Waf.Operators.Prefilter;

namespace Portcullis.Waf.Tests.Operators.Prefilter;

public sealed class LiteralSetsTests
{
    [Theory]
    [InlineData("select,sel,union", "sel,union")]
    [InlineData("abc,xabcx,b", "b")]
    [InlineData("abc,,def", "")]
    [InlineData("abc,def", "abc,def")]
    public void Reduce_Set_DropsLiteralsContainingAnother(string set, string expected)
    {
        Assert.Equal(expected.Split(','), LiteralSets.Reduce(set.Split(',')));
    }

    [Theory]
    [InlineData("abcd,abce,abxy", 2, true, "abc,abx")]
    [InlineData("abcd,abce,abxy", 1, true, "ab")]
    [InlineData("abcd,xbcd,abxy", 2, false, "bcd,bxy")]
    [InlineData("abcd,abce", 2, true, "abcd,abce")]
    public void Shorten_TooManyLiterals_CutsToLongestFittingLength(string set, int max, bool keepStart, string expected)
    {
        Assert.Equal(expected.Split(','), LiteralSets.Shorten(set.Split(','), max, keepStart));
    }

    [Fact]
    public void Product_TwoSets_ConcatenatesEveryPair()
    {
        Assert.Equal(["ac", "ad", "bc", "bd"], LiteralSets.Product(["a", "b"], ["c", "d"]));
    }

    [Theory]
    [InlineData("abc", "abcdef", "abcdef")]
    [InlineData("abcd", "ab,cd", "abcd")]
    [InlineData("ab,cd", "abc,def,ghi", "abc,def,ghi")]
    [InlineData("", "ab", "ab")]
    public void Better_TwoSets_PrefersLongerShortestLiteralThenFewer(string a, string b, string expected)
    {
        Assert.Equal(expected.Split(','), LiteralSets.Better(a.Split(','), b.Split(',')));
        Assert.Equal(expected.Split(','), LiteralSets.Better(b.Split(','), a.Split(',')));
    }
}
