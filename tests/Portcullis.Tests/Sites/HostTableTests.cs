using Portcullis.Sites;

namespace Portcullis.Tests.Sites;

public sealed class HostTableTests
{
    private const string Exact = "exact";
    private const string Wildcard = "wildcard";
    private const string Other = "other";
    private const string Loopback6 = "loopback6";
    private const string Loopback4 = "loopback4";

    // Same shape as the real table: hosts normalized by SiteReader (lowercase, no trailing dot, canonical IPs).
    private static readonly HostTable<string> Table = new(
    [
        ("app.example.com", Exact),
        ("*.example.com", Wildcard),
        ("other.test", Other),
        ("::1", Loopback6),
        ("127.0.0.1", Loopback4),
    ]);

    [Theory]
    [InlineData("app.example.com", Exact)]
    [InlineData("APP.Example.COM", Exact)]
    [InlineData("app.example.com.", Exact)]
    [InlineData("app.example.com:8443", Exact)]
    [InlineData("App.Example.Com.:443", Exact)]
    [InlineData("other.test", Other)]
    [InlineData("OTHER.TEST:80", Other)]
    [InlineData("[::1]:8443", Loopback6)]
    [InlineData("[::1]", Loopback6)]
    [InlineData("::1", Loopback6)]
    [InlineData("127.0.0.1", Loopback4)]
    [InlineData("127.0.0.1:8443", Loopback4)]
    public void Find_ExactHost_ReturnsValue(string host, string expected)
    {
        Assert.Equal(expected, Table.Find(host));
    }

    [Theory]
    [InlineData("a.example.com")]
    [InlineData("A.EXAMPLE.COM")]
    [InlineData("shop.example.com.")]
    [InlineData("shop.example.com:8443")]
    [InlineData("xn--bcher-kva.example.com")]
    public void Find_OneLabelUnderWildcard_ReturnsWildcardValue(string host)
    {
        Assert.Equal(Wildcard, Table.Find(host));
    }

    [Theory]
    [InlineData("example.com")] // the wildcard needs one more label
    [InlineData("example.com:443")]
    [InlineData("a.b.example.com")] // ... and exactly one (RFC 6125 §6.4.3)
    [InlineData("a.app.example.com")]
    [InlineData(".example.com")] // an empty label is no label
    [InlineData("aexample.com")]
    [InlineData("a.example.com.evil")]
    [InlineData("a.example.org")]
    public void Find_NotCoveredByWildcard_ReturnsNull(string host)
    {
        Assert.Null(Table.Find(host));
    }

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData(":443")]
    [InlineData("[]:443")]
    [InlineData("unknown.test")]
    [InlineData("test")]
    [InlineData("other.test.example")]
    [InlineData("[::2]:8443")]
    [InlineData("127.0.0.2")]
    public void Find_EmptyOrUnknownHost_ReturnsNull(string host)
    {
        Assert.Null(Table.Find(host));
    }

    [Fact]
    public void Find_ExactAndWildcardBothMatch_ExactWins()
    {
        // Exact entry listed after the wildcard, so the win is by kind, not by order.
        var table = new HostTable<string>([("*.example.com", Wildcard), ("www.example.com", Exact)]);

        Assert.Equal(Exact, table.Find("www.example.com"));
        Assert.Equal(Exact, table.Find("WWW.example.com.:443"));
        Assert.Equal(Wildcard, table.Find("api.example.com"));
    }

    [Fact]
    public void Find_WildcardOnly_BareDomainNotMatched()
    {
        var table = new HostTable<string>([("*.example.com", Wildcard)]);

        Assert.Null(table.Find("example.com"));
        Assert.Equal(Wildcard, table.Find("x.example.com"));
    }

    [Fact]
    public void Find_ExactOnly_SubdomainNotMatched()
    {
        var table = new HostTable<string>([("example.com", Exact)]);

        Assert.Equal(Exact, table.Find("example.com"));
        Assert.Null(table.Find("www.example.com"));
    }

    [Fact]
    public void Find_NestedWildcards_MostSpecificCoversItsOwnLevel()
    {
        var table = new HostTable<string>([("*.example.com", "outer"), ("*.eu.example.com", "inner")]);

        Assert.Equal("inner", table.Find("shop.eu.example.com"));
        Assert.Equal("outer", table.Find("eu.example.com"));
        Assert.Equal("outer", table.Find("shop.example.com"));
        Assert.Null(table.Find("a.shop.eu.example.com"));
    }

    [Fact]
    public void Find_EmptyTable_ReturnsNull()
    {
        var table = new HostTable<string>([]);

        Assert.Null(table.Find("example.com"));
        Assert.Null(table.Find(""));
    }
}
