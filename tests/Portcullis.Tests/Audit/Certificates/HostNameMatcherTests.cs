using System.Net;
using Portcullis.Audit.Certificates;

namespace Portcullis.Tests.Audit.Certificates;

public sealed class HostNameMatcherTests
{
    [Theory]
    [InlineData("app.test", "app.test", true)]
    [InlineData("APP.Test", "app.test", true)]                // case-insensitive (RFC 6125 §6.4.1)
    [InlineData("app.test.", "app.test", true)]               // trailing dot
    [InlineData("other.test", "app.test", false)]
    [InlineData("*.example.com", "www.example.com", true)]    // wildcard covers one label (§6.4.3)
    [InlineData("*.example.com", "a.b.example.com", false)]   // but not two
    [InlineData("*.example.com", "example.com", false)]       // nor none
    [InlineData("*.com", "example.com", false)]               // not a whole top-level domain
    [InlineData("w*.example.com", "www.example.com", false)]  // only a whole left-most label
    [InlineData("www.*.com", "www.example.com", false)]
    [InlineData("xn--bcher-kva.example", "xn--bcher-kva.example", true)]
    public void Matches_DnsName_FollowsRfc6125(string presented, string host, bool expected) =>
        Assert.Equal(expected, HostNameMatcher.Matches([presented], [], null, host));

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("127.0.0.2", false)]
    [InlineData("[::1]", false)]
    public void Matches_IpTarget_UsesIpSansOnly(string target, bool expected) =>
        Assert.Equal(expected, HostNameMatcher.Matches(["127.0.0.1"], [IPAddress.Loopback], "127.0.0.1", target));

    [Fact]
    public void Matches_IpTargetAgainstDnsSanWithSameText_DoesNotMatch() =>
        Assert.False(HostNameMatcher.Matches(["127.0.0.1"], [], null, "127.0.0.1"));

    [Theory]
    [InlineData(new string[0], "app.test", true)]          // no SAN at all: the CN counts (RFC 6125 §6.4.4)
    [InlineData(new[] { "other.test" }, "app.test", false)] // a SAN present: the CN is ignored
    public void Matches_CommonName_OnlyWithoutSan(string[] sans, string host, bool expected) =>
        Assert.Equal(expected, HostNameMatcher.Matches(sans, [], "app.test", host));
}
