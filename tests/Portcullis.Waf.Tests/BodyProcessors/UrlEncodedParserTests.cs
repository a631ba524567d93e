using System.Text;
using Portcullis.Waf.BodyProcessors;

namespace Portcullis.Waf.Tests.BodyProcessors;

public sealed class UrlEncodedParserTests
{
    private static (string Rendered, int Invalid) Parse(string body, char separator = '&')
    {
        var args = new List<KeyValuePair<string, string>>();
        UrlEncodedParser.Parse(Encoding.Latin1.GetBytes(body), args, (byte)separator, out var invalid);
        return (BodyAssert.Render(args), invalid);
    }

    [Theory]
    [InlineData("a=1&b=2", "a=1 | b=2")]
    [InlineData("a=1&a=2", "a=1 | a=2")]                 // duplicates kept, in order
    [InlineData("a", "a=")]                              // no '=': a name with an empty value
    [InlineData("a=", "a=")]
    [InlineData("=v", "=v")]
    [InlineData("=", "=")]
    [InlineData("a=1&&b=2", "a=1 | = | b=2")]            // ModSecurity keeps an empty part as an empty argument
    [InlineData("&a=1", "= | a=1")]
    [InlineData("a=1&", "a=1")]                          // ...but a trailing separator adds nothing
    [InlineData("a=b=c", "a=b=c")]                       // split at the first '='
    [InlineData("a+b=c+d", "a b=c d")]
    [InlineData("%41%62=%4a%4A", "Ab=JJ")]
    [InlineData("q=%27%20or%201%3d1", "q=' or 1=1")]
    [InlineData("a=%26&b=%3D", "a=& | b==")]              // an encoded separator is data
    [InlineData("", "")]
    public void Parse_Forms_MatchModSecurity(string body, string expected) => Assert.Equal(expected, Parse(body).Rendered);

    [Theory]
    [InlineData("a=%zz", "a=%zz", 1)]
    [InlineData("a=%4", "a=%4", 1)]                      // truncated escape kept literally
    [InlineData("a=%", "a=%", 1)]
    [InlineData("a=%%41", "a=%A", 1)]
    [InlineData("%g1=%41", "%g1=A", 1)]
    [InlineData("a=%41", "a=A", 0)]
    public void Parse_InvalidEscapes_KeptLiterallyAndCounted(string body, string expected, int invalid) =>
        Assert.Equal((expected, invalid), Parse(body));

    [Theory]
    [InlineData("a=%e9", "a=\u00e9")]                    // one byte 0xE9, not a decoded character
    [InlineData("a=%C3%A9", "a=\u00c3\u00a9")]           // UTF-8 stays two bytes
    [InlineData("a=%00b", "a=\0b")]
    [InlineData("a=%ff", "a=\u00ff")]
    public void Parse_DecodedBytes_StayBytes(string body, string expected) => Assert.Equal(expected, Parse(body).Rendered);

    [Fact]
    public void Parse_RawHighBytes_MapOneToOne()
    {
        var args = new List<KeyValuePair<string, string>>();
        UrlEncodedParser.Parse([(byte)'k', (byte)'=', 0xE2, 0x91, 0xA0], args);
        Assert.Equal("k=\u00e2\u0091\u00a0", BodyAssert.Render(args));
    }

    [Fact]
    public void Parse_CustomSeparator_SplitsOnIt() => Assert.Equal("a=1&b | c=2", Parse("a=1&b;c=2", ';').Rendered);

    [Fact]
    public void Parse_AppendsToExistingList()
    {
        var args = new List<KeyValuePair<string, string>> { new("get", "1") };
        UrlEncodedParser.Parse("post=2"u8, args);
        Assert.Equal("get=1 | post=2", BodyAssert.Render(args));
    }
}
