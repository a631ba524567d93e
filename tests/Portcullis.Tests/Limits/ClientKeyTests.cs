using System.Net;
using Portcullis.Limits;

namespace Portcullis.Tests.Limits;

public sealed class ClientKeyTests
{
    [Theory]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2:ffff::9", 64, true)]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:3::1", 64, false)]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:3::1", 48, true)]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2::2", 128, false)]
    [InlineData("203.0.113.7", "203.0.113.8", 64, false)]
    [InlineData("203.0.113.7", "::ffff:203.0.113.7", 64, true)]
    // An IPv6 address whose low bits spell an IPv4 address is still another client.
    [InlineData("203.0.113.7", "::cb00:7107", 128, false)]
    public void From_TwoAddresses_SameKeyOnlyInsideThePrefix(string a, string b, int prefix, bool same)
    {
        var first = ClientKey.From(IPAddress.Parse(a), prefix);
        var second = ClientKey.From(IPAddress.Parse(b), prefix);

        Assert.Equal(same, first == second);
    }

    [Theory]
    [InlineData("203.0.113.7", 64, "203.0.113.7")]
    [InlineData("::ffff:203.0.113.7", 64, "203.0.113.7")]
    [InlineData("2001:db8:1:2:3:4:5:6", 64, "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2:3:4:5:6", 128, "2001:db8:1:2:3:4:5:6")]
    public void ToString_NamesTheClientAsLogged(string address, int prefix, string expected)
    {
        Assert.Equal(expected, ClientKey.From(IPAddress.Parse(address), prefix).ToString());
    }
}
