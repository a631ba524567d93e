using Portcullis.Acme.Protocol;
using Portcullis.Tests.TestSupport;

namespace Portcullis.Tests.Acme;

/// <summary>badNonce handling (RFC 8555 §6.5) against pebble rejecting a share of perfectly good nonces.</summary>
public sealed class AcmeBadNonceTests
{
    /// <summary>
    /// 10 %: a request then fails all four attempts with probability 1e-4, while a first rejection is expected within
    /// ~10 requests (no rejection in 100 requests: 0.9^100 ≈ 3e-5).
    /// </summary>
    private const int RejectPercent = 10;

    [Fact]
    public async Task PostAsync_PebbleRejectsGoodNonces_RetriesAndSucceeds()
    {
        await using var server = await PebbleServer.StartAsync(new PebbleServerOptions { NonceRejectPercent = RejectPercent });
        using var key = AcmeAccountKey.CreateEphemeral();
        var logger = new RecordingLogger();
        using var client = await AcmeClient.CreateAsync(new AcmeClientOptions
        {
            Directory = server.DirectoryUrl,
            CaBundlePath = server.CaBundlePath,
            Logger = logger,
        }, key, CancellationToken.None);
        await client.RegisterAsync([], null, CancellationToken.None);
        var order = await client.NewOrderAsync([AcmeTestNames.UniqueHost("nonce")], null, CancellationToken.None);

        var requests = 0;
        while (logger.Count(1704) == 0 && requests < 100)
        {
            var fetched = await client.GetOrderAsync(order.Url, CancellationToken.None);
            Assert.Equal(AcmeStatus.Pending, fetched.Status);
            requests++;
        }

        Assert.True(logger.Count(1704) > 0, $"pebble rejected no nonce in {requests} requests:\n{server.Output}");
        Assert.Contains(logger.Entries, e => e.Id.Id == 1704 && e.Message.Contains("badNonce", StringComparison.Ordinal));
    }
}
