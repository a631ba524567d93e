using Portcullis.Waf.Operators.Matching;

namespace Portcullis.Waf.Tests.Operators.Matching;

public sealed class ByteRangeSetTests
{
    [Theory]
    [InlineData("1-255", 0, false)]
    [InlineData("1-255", 1, true)]
    [InlineData("1-255", 255, true)]
    [InlineData("9,10,13,32-126,128-255", 11, false)]
    [InlineData("9,10,13,32-126,128-255", 127, false)]
    [InlineData("9,10,13,32-126,128-255", 128, true)]
    [InlineData("32-36,38-126", 37, false)]
    [InlineData(" 0 , 5 - 6 ", 6, true)]
    [InlineData("255", 255, true)]
    public void Contains_Byte_FollowsTheRanges(string parameter, int value, bool expected) =>
        Assert.Equal(expected, ByteRangeSet.Parse(parameter).Contains((byte)value));

    [Theory]
    [InlineData("1-255", "abc\u00ff", -1)]
    [InlineData("1-255", "ab\0c", 2)]
    [InlineData("32-126", "ok\u00e9", 2)]
    [InlineData("32-126", "", -1)]
    [InlineData("32-126", "\u0100", 0)] // Not a byte at all: outside.
    public void IndexOfFirstOutside_Input_FindsFirstBadByte(string parameter, string input, int expected) =>
        Assert.Equal(expected, ByteRangeSet.Parse(parameter).IndexOfFirstOutside(input));

    [Fact]
    public void CountOutside_Input_CountsEveryBadByte() =>
        Assert.Equal(3, ByteRangeSet.Parse("97-122").CountOutside("a1b2c3d"));

    [Theory]
    [InlineData("")]
    [InlineData("256")]
    [InlineData("-1")]
    [InlineData("1-")]
    [InlineData("10-5")]
    [InlineData("1,,2")]
    [InlineData("a-z")]
    [InlineData("1-2-3")]
    public void Parse_BadList_Throws(string parameter) =>
        Assert.Throws<FormatException>(() => ByteRangeSet.Parse(parameter));
}
