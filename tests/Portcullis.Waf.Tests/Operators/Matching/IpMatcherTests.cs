using Portcullis.Waf.Operators.Matching;

namespace Portcullis.Waf.Tests.Operators.Matching;

public sealed class IpMatcherTests
{
    [Theory]
    [InlineData("127.0.0.1,::1", "127.0.0.1", true)] // CRS 905100-style
    [InlineData("127.0.0.1,::1", "::1", true)]
    [InlineData("127.0.0.1,::1", "127.0.0.2", false)]
    [InlineData("127.0.0.1,::1", "::2", false)]
    [InlineData("10.0.0.0/8, 192.168.1.0/24", "10.255.1.2", true)]
    [InlineData("10.0.0.0/8, 192.168.1.0/24", "192.168.2.1", false)]
    [InlineData("10.1.2.3/8", "10.9.9.9", true)] // Host bits below the prefix are ignored.
    [InlineData("0.0.0.0/0", "8.8.8.8", true)]
    [InlineData("2001:db8::/32", "2001:db8:ffff::1", true)]
    [InlineData("2001:db8::/32", "2001:db9::1", false)]
    [InlineData("::/0", "fe80::1", true)]
    [InlineData("127.0.0.1", "::ffff:127.0.0.1", true)] // IPv4-mapped: same client.
    [InlineData("127.0.0.0/8", "::ffff:7f00:1", true)]
    [InlineData("127.0.0.1", "::127.0.0.1", false)] // IPv4-compatible is not mapped.
    [InlineData("127.0.0.1", "127.1", false)] // Not a full dotted quad.
    [InlineData("127.0.0.1", "127.000.0.1", false)]
    [InlineData("127.0.0.1", "127.0.0.1 ", false)]
    [InlineData("127.0.0.1", "localhost", false)]
    [InlineData("::1", "[::1]", false)]
    [InlineData("fe80::1", "fe80::1%eth0", false)]
    [InlineData("127.0.0.1", "", false)]
    public void Matches_Address_AsModSecurity(string parameter, string address, bool expected) =>
        Assert.Equal(expected, IpMatcher.Parse(parameter).Matches(address));

    [Theory]
    [InlineData("", "at least one")]
    [InlineData("1.2.3", "'1.2.3'")]
    [InlineData("1.2.3.4,,5.6.7.8", "''")]
    [InlineData("256.0.0.1", "'256.0.0.1'")]
    [InlineData("1.2.3.4/33", "0 to 32")]
    [InlineData("1.2.3.4/", "0 to 32")]
    [InlineData("1.2.3.4/x", "0 to 32")]
    [InlineData("::1/129", "0 to 128")]
    [InlineData("1:::2", "'1:::2'")]
    [InlineData("localhost", "'localhost'")]
    public void Parse_BadEntry_ThrowsNamingIt(string parameter, string messagePart)
    {
        var error = Assert.Throws<FormatException>(() => IpMatcher.Parse(parameter));
        Assert.Contains(messagePart, error.Message, StringComparison.Ordinal);
    }
}
