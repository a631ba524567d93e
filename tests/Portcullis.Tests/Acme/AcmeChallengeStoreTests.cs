using Portcullis.Acme.Challenges;

namespace Portcullis.Tests.Acme;

public sealed class AcmeChallengeStoreTests
{
    [Fact]
    public void Http01_PublishThenWithdraw_ServesOnlyWhilePublished()
    {
        var store = new AcmeChallengeStore(AcmeChallengeTypes.Http01);

        store.Publish("shop.example.com", "tok", "tok.thumb");
        Assert.True(store.TryGetHttpResponse("tok", out var served));
        Assert.Equal("tok.thumb", served);
        Assert.False(store.TryGetHttpResponse("other", out _));
        Assert.Null(store.GetTlsAlpnCertificate("shop.example.com"));

        store.Withdraw("shop.example.com", "tok");
        Assert.False(store.TryGetHttpResponse("tok", out _));
    }

    [Fact]
    public void TlsAlpn01_PublishThenWithdraw_CertificateByHostCaseInsensitive()
    {
        var store = new AcmeChallengeStore(AcmeChallengeTypes.TlsAlpn01);

        store.Publish("shop.example.com", "tok", "tok.thumb");
        var context = store.GetTlsAlpnCertificate("SHOP.example.com");
        Assert.NotNull(context);
        Assert.Contains("shop.example.com", context.TargetCertificate.Extensions.OfType<System.Security.Cryptography.X509Certificates.X509SubjectAlternativeNameExtension>().Single().EnumerateDnsNames());
        Assert.False(store.TryGetHttpResponse("tok", out _));

        store.Withdraw("shop.example.com", "stale-token");
        Assert.NotNull(store.GetTlsAlpnCertificate("shop.example.com"));
        store.Withdraw("shop.example.com", "tok");
        Assert.Null(store.GetTlsAlpnCertificate("shop.example.com"));
    }

    [Theory]
    [InlineData("dns-01")]
    [InlineData("HTTP-01")]
    [InlineData("")]
    public void Constructor_UnsupportedType_Throws(string type) =>
        Assert.Throws<ArgumentException>(() => new AcmeChallengeStore(type));

    [Fact]
    public async Task Publish_ConcurrentWithReads_NoTornState()
    {
        var store = new AcmeChallengeStore(AcmeChallengeTypes.Http01);
        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(() =>
        {
            for (var i = 0; i < 2000; i++)
            {
                store.Publish("h", $"t{w}-{i}", $"t{w}-{i}.k");
                store.Withdraw("h", $"t{w}-{i}");
            }
        }));
        var reader = Task.Run(() =>
        {
            for (var i = 0; i < 8000; i++)
            {
                if (store.TryGetHttpResponse($"t0-{i % 2000}", out var value))
                {
                    Assert.Equal($"t0-{i % 2000}.k", value);
                }
            }
        });

        await Task.WhenAll([.. writers, reader]);

        Assert.False(store.TryGetHttpResponse("t0-1999", out _));
    }
}
