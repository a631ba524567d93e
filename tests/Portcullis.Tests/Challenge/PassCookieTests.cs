using System.Net;
using System.Security.Cryptography;
using Portcullis.Challenge;

namespace Portcullis.Tests.Challenge;

/// <summary>The pass cookie's format and checks without a gateway: every kind of damage is refused, none throws.</summary>
public sealed class PassCookieTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);
    private static readonly IPAddress Client = IPAddress.Parse("203.0.113.7");
    private readonly PassCookie _passes = new(RandomNumberGenerator.GetBytes(32));

    [Fact]
    public void Verify_Genuine_ValidUntilExpiryThenExpired()
    {
        var value = _passes.Create("shop", Client, Now.AddHours(1));

        Assert.Equal(PassVerdict.Valid, _passes.Verify(value, "shop", Client, Now));
        Assert.Equal(PassVerdict.Valid, _passes.Verify(value, "shop", Client, Now.AddMinutes(59)));
        Assert.Equal(PassVerdict.Expired, _passes.Verify(value, "shop", Client, Now.AddHours(1)));
    }

    [Theory]
    [InlineData("shop", "203.0.113.8")]
    [InlineData("blog", "203.0.113.7")]
    [InlineData("shop", "::ffff:203.0.113.8")]
    public void Verify_OtherSiteOrClient_Invalid(string site, string client)
    {
        var value = _passes.Create("shop", Client, Now.AddHours(1));

        Assert.Equal(PassVerdict.Invalid, _passes.Verify(value, site, IPAddress.Parse(client), Now));
    }

    [Theory]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2:ffff::9", true)]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:3::1", false)]
    [InlineData("203.0.113.7", "::ffff:203.0.113.7", true)]
    public void Verify_IPv6Within64_SameClient(string issuedTo, string shownBy, bool valid)
    {
        var value = _passes.Create("shop", IPAddress.Parse(issuedTo), Now.AddHours(1));

        Assert.Equal(valid ? PassVerdict.Valid : PassVerdict.Invalid, _passes.Verify(value, "shop", IPAddress.Parse(shownBy), Now));
    }

    [Fact]
    public void Verify_EveryTruncationAndEveryCharacterChanged_InvalidAndNoThrow()
    {
        var value = _passes.Create("shop", Client, Now.AddHours(1));

        for (var length = 0; length < value.Length; length++)
        {
            Assert.Equal(PassVerdict.Invalid, _passes.Verify(value.AsSpan(0, length), "shop", Client, Now));
        }
        for (var i = 0; i < value.Length; i++)
        {
            foreach (var replacement in "0A_-.=+/ é")
            {
                if (value[i] == replacement)
                {
                    continue;
                }
                var damaged = string.Concat(value.AsSpan(0, i), [replacement], value.AsSpan(i + 1));
                Assert.NotEqual(PassVerdict.Valid, _passes.Verify(damaged, "shop", Client, Now));
            }
        }
    }

    [Theory]
    [InlineData("theme=dark; __Host-portcullis_pass=1.2.abc; x=y", "1.2.abc")]
    [InlineData("__Host-portcullis_pass=v", "v")]
    [InlineData("x__Host-portcullis_pass=v; y=1", "")]
    [InlineData("__Host-portcullis_passx=v", "")]
    [InlineData("a=1;__Host-portcullis_pass=v2", "v2")]
    public void Find_CookieHeader_OnlyExactName(string header, string expected)
    {
        Assert.Equal(expected, PassCookie.Find(header).ToString());
    }
}
