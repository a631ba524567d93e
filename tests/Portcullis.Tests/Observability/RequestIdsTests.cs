using Microsoft.Extensions.Primitives;
using Portcullis.Observability;

namespace Portcullis.Tests.Observability;

public sealed class RequestIdsTests
{
    [Fact]
    public void New_Always_Is32LowercaseHex()
    {
        for (var i = 0; i < 100; i++)
        {
            var id = RequestIds.New();

            Assert.Equal(32, id.Length);
            Assert.All(id, c => Assert.True(char.IsAsciiDigit(c) || c is >= 'a' and <= 'f', $"'{c}' in {id}"));
        }
    }

    [Fact]
    public void New_ManyIds_AllDistinct()
    {
        var ids = Enumerable.Range(0, 10_000).Select(_ => RequestIds.New()).ToList();

        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void New_OwnIds_AreAcceptable()
    {
        Assert.True(RequestIds.IsAcceptable(RequestIds.New()));
    }

    [Theory]
    [InlineData("a")]
    [InlineData("0123456789abcdef0123456789abcdef")]
    [InlineData("0123456789ABCDEF")]
    [InlineData("req-42_retry.1")]
    [InlineData("9f2c6a4e-3b1d-4c7a-8e5f-0a1b2c3d4e5f")] // a dashed GUID, as many proxies send
    public void IsAcceptable_ShortSafeToken_True(string value)
    {
        Assert.True(RequestIds.IsAcceptable(value));
    }

    [Fact]
    public void IsAcceptable_Exactly128Characters_True()
    {
        Assert.True(RequestIds.IsAcceptable(new string('a', 128)));
    }

    [Fact]
    public void IsAcceptable_129Characters_False()
    {
        Assert.False(RequestIds.IsAcceptable(new string('a', 129)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc\r\nSet-Cookie: x=1")] // header injection
    [InlineData("abc\r")]
    [InlineData("abc\n")]
    [InlineData("abc def")]
    [InlineData(" abc")]
    [InlineData("abc\t")]
    [InlineData("abc,def")] // what a comma-joined header would look like
    [InlineData("Root=1-5759e988")]
    [InlineData("a\"b")]
    [InlineData("<script>")]
    [InlineData("a/b")]
    [InlineData("caf\u00e9")] // non-ASCII letter
    [InlineData("\u0661\u0662")] // non-ASCII digits
    [InlineData("abc\u007f")] // DEL
    public void IsAcceptable_UnsafeCharacters_False(string value)
    {
        Assert.False(RequestIds.IsAcceptable(value));
    }

    [Fact]
    public void IsAcceptable_MultipleValues_False()
    {
        Assert.False(RequestIds.IsAcceptable(new StringValues(["abc", "def"])));
        Assert.False(RequestIds.IsAcceptable(new StringValues(["abc", "abc"])));
    }

    [Fact]
    public void IsAcceptable_NoValue_False()
    {
        Assert.False(RequestIds.IsAcceptable(StringValues.Empty));
        Assert.False(RequestIds.IsAcceptable(new StringValues((string?)null)));
        Assert.False(RequestIds.IsAcceptable(new StringValues([null!])));
    }
}
