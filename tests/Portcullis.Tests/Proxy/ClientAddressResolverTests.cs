using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Portcullis.Proxy;

namespace Portcullis.Tests.Proxy;

public sealed class ClientAddressResolverTests
{
    private static readonly ClientAddressResolver Resolver = new(
    [
        IPNetwork.Parse("10.0.0.0/8"),
        IPNetwork.Parse("192.168.1.0/24"),
        IPNetwork.Parse("2001:db8:ffff::/48"),
    ]);

    private static IPAddress? Resolve(string? peer, params string[] forwardedFor) =>
        Resolver.Resolve(peer is null ? null : IPAddress.Parse(peer), new StringValues(forwardedFor));

    [Theory]
    [InlineData("203.0.113.9", "198.51.100.1")]
    [InlineData("203.0.113.9", "10.0.0.5")] // even a "trusted" address in the header is just a claim
    [InlineData("192.168.2.1", "198.51.100.1")] // just outside 192.168.1.0/24
    [InlineData("2001:db8:fffe::1", "198.51.100.1")]
    public void Resolve_UntrustedPeer_IgnoresForwardedFor(string peer, string forwardedFor)
    {
        Assert.Equal(IPAddress.Parse(peer), Resolve(peer, forwardedFor));
    }

    [Theory]
    [InlineData("10.0.0.1", "198.51.100.1", "198.51.100.1")]
    [InlineData("10.255.255.255", "198.51.100.1", "198.51.100.1")]
    [InlineData("192.168.1.20", " 198.51.100.1 ", "198.51.100.1")]
    [InlineData("2001:db8:ffff::10", "198.51.100.1", "198.51.100.1")]
    [InlineData("10.0.0.1", "2001:db8::7", "2001:db8::7")]
    // The leftmost entries are whatever the client sent: only the rightmost untrusted hop is believed.
    [InlineData("10.0.0.1", "1.1.1.1, 198.51.100.1", "198.51.100.1")]
    [InlineData("10.0.0.1", "1.1.1.1,198.51.100.1", "198.51.100.1")]
    [InlineData("10.0.0.1", "garbage, 1.1.1.1, 198.51.100.1", "198.51.100.1")]
    public void Resolve_TrustedPeer_ReturnsRightmostUntrustedHop(string peer, string forwardedFor, string expected)
    {
        Assert.Equal(IPAddress.Parse(expected), Resolve(peer, forwardedFor));
    }

    [Theory]
    [InlineData("198.51.100.1, 10.0.0.5", "198.51.100.1")]
    [InlineData("198.51.100.1, 10.0.0.5, 192.168.1.7", "198.51.100.1")]
    [InlineData("6.6.6.6, 198.51.100.1, 10.0.0.5, 2001:db8:ffff::2, 192.168.1.7", "198.51.100.1")]
    [InlineData("198.51.100.1, 203.0.113.4, 10.0.0.5", "203.0.113.4")] // 203.0.113.4 is not ours: it is the client we see
    public void Resolve_ChainOfTrustedProxies_SkipsThemAll(string forwardedFor, string expected)
    {
        Assert.Equal(IPAddress.Parse(expected), Resolve("10.0.0.1", forwardedFor));
    }

    [Fact]
    public void Resolve_EveryHopTrusted_ReturnsLeftmostHop()
    {
        Assert.Equal(IPAddress.Parse("10.0.0.3"), Resolve("10.0.0.1", "10.0.0.3, 10.0.0.2"));
    }

    [Theory]
    // Later header lines were appended by nearer proxies, so they are read first.
    [InlineData(new[] { "198.51.100.1", "203.0.113.50" }, "203.0.113.50")]
    [InlineData(new[] { "198.51.100.1", "10.0.0.5" }, "198.51.100.1")]
    [InlineData(new[] { "6.6.6.6, 198.51.100.1", "10.0.0.5, 192.168.1.7" }, "198.51.100.1")]
    [InlineData(new[] { "6.6.6.6, 198.51.100.1", "", "10.0.0.5" }, "198.51.100.1")]
    public void Resolve_MultipleHeaderValues_WalksAcrossAllRightToLeft(string[] forwardedFor, string expected)
    {
        Assert.Equal(IPAddress.Parse(expected), Resolve("10.0.0.1", forwardedFor));
    }

    [Theory]
    [InlineData("198.51.100.1, garbage", "10.0.0.1")] // stops at the hop it cannot read: the peer is all we know
    [InlineData("198.51.100.1, unknown", "10.0.0.1")]
    [InlineData("198.51.100.1, 300.1.1.1", "10.0.0.1")]
    [InlineData("198.51.100.1, 198.51.100.1:port", "10.0.0.1")]
    [InlineData("198.51.100.1, garbage, 10.0.0.5", "10.0.0.5")] // ... or the last trusted hop before it
    [InlineData("garbage, 198.51.100.1", "198.51.100.1")]
    public void Resolve_GarbageEntry_StopsWithoutBelievingWhatIsLeftOfIt(string forwardedFor, string expected)
    {
        Assert.Equal(IPAddress.Parse(expected), Resolve("10.0.0.1", forwardedFor));
    }

    [Theory]
    [InlineData("198.51.100.1:5678", "198.51.100.1")]
    [InlineData("[2001:db8::7]:443", "2001:db8::7")]
    [InlineData("[2001:db8::7]", "2001:db8::7")]
    [InlineData("198.51.100.1, 10.0.0.5:8080", "198.51.100.1")]
    [InlineData("198.51.100.1, [2001:db8:ffff::2]:443", "198.51.100.1")]
    public void Resolve_EntriesWithPorts_UsesTheAddress(string forwardedFor, string expected)
    {
        Assert.Equal(IPAddress.Parse(expected), Resolve("10.0.0.1", forwardedFor));
    }

    [Fact]
    public void Resolve_IPv4MappedTrustedPeer_IsTrusted()
    {
        var peer = IPAddress.Parse("::ffff:10.0.0.1");

        Assert.True(Resolver.IsTrusted(peer));
        Assert.Equal(IPAddress.Parse("198.51.100.1"), Resolver.Resolve(peer, "198.51.100.1"));
    }

    [Fact]
    public void Resolve_IPv4MappedUntrustedPeer_IgnoresForwardedFor()
    {
        var peer = IPAddress.Parse("::ffff:203.0.113.9");

        Assert.False(Resolver.IsTrusted(peer));
        Assert.Equal(peer, Resolver.Resolve(peer, "198.51.100.1"));
    }

    [Fact]
    public void Resolve_IPv4MappedTrustedHop_IsSkipped()
    {
        Assert.Equal(IPAddress.Parse("198.51.100.1"), Resolve("10.0.0.1", "198.51.100.1, ::ffff:10.0.0.5"));
    }

    [Fact]
    public void Resolve_TrustedPeerWithoutForwardedFor_ReturnsPeer()
    {
        var peer = IPAddress.Parse("10.0.0.1");

        Assert.Equal(peer, Resolver.Resolve(peer, StringValues.Empty));
        Assert.Equal(peer, Resolver.Resolve(peer, ""));
        Assert.Equal(peer, Resolver.Resolve(peer, " , ,"));
        Assert.Equal(peer, Resolver.Resolve(peer, new StringValues(["", " "])));
    }

    [Fact]
    public void Resolve_NullPeer_ReturnsNull()
    {
        Assert.Null(Resolve(null, "198.51.100.1"));
    }

    [Theory]
    [InlineData("10.0.0.1")]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    public void Resolve_NoTrustedProxiesConfigured_AlwaysReturnsPeer(string peer)
    {
        var resolver = new ClientAddressResolver([]);
        var address = IPAddress.Parse(peer);

        Assert.False(resolver.HasTrustedProxies);
        Assert.False(resolver.IsTrusted(address));
        Assert.Equal(address, resolver.Resolve(address, "198.51.100.1"));
    }

    [Fact]
    public void HasTrustedProxies_WithNetworks_IsTrue()
    {
        Assert.True(Resolver.HasTrustedProxies);
    }

    [Theory]
    [InlineData("10.0.0.0", true)]
    [InlineData("10.200.3.4", true)]
    [InlineData("11.0.0.1", false)]
    [InlineData("192.168.1.255", true)]
    [InlineData("192.168.0.1", false)]
    [InlineData("2001:db8:ffff:1::1", true)]
    [InlineData("2001:db8:fffe::1", false)]
    [InlineData("::ffff:192.168.1.1", true)]
    public void IsTrusted_Address_MatchesConfiguredNetworks(string address, bool expected)
    {
        Assert.Equal(expected, Resolver.IsTrusted(IPAddress.Parse(address)));
    }

    [Fact]
    public void IsTrusted_Null_IsFalse()
    {
        Assert.False(Resolver.IsTrusted(null));
    }

    [Theory]
    [InlineData("::ffff:203.0.113.9", "203.0.113.9")]
    [InlineData("203.0.113.9", "203.0.113.9")]
    [InlineData("2001:db8::1", "2001:db8::1")]
    public void PeerAddress_RemoteAddress_UnmapsIPv4(string remote, string expected)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse(remote);

        var peer = ClientAddressResolver.PeerAddress(context);

        Assert.Equal(IPAddress.Parse(expected), peer);
        Assert.Equal(IPAddress.Parse(expected).AddressFamily, peer!.AddressFamily);
    }

    [Fact]
    public void PeerAddress_NoRemoteAddress_IsNull()
    {
        Assert.Null(ClientAddressResolver.PeerAddress(new DefaultHttpContext()));
    }
}
