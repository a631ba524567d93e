using System.Net;
using Portcullis.Limits;

namespace Portcullis.Tests.Limits;

public sealed class ClientCountersTests
{
    [Fact]
    public void TryEnter_AtMax_RefusedUntilOneLeaves()
    {
        var counters = new ClientCounters();
        var client = ClientKey.From(IPAddress.Loopback, 64);

        Assert.True(counters.TryEnter(client, 2, out var a));
        Assert.True(counters.TryEnter(client, 2, out var b));
        Assert.False(counters.TryEnter(client, 2, out _));
        counters.Leave(client, a);
        Assert.True(counters.TryEnter(client, 2, out var c));
        counters.Leave(client, b);
        counters.Leave(client, c);

        Assert.Equal(0, counters.Clients);
    }

    [Fact]
    public async Task TryEnterLeave_ManyThreads_CountsStayExactAndTableEmpties()
    {
        var counters = new ClientCounters();
        var clients = Enumerable.Range(0, 8).Select(i => ClientKey.From(new IPAddress(new byte[] { 10, 0, 0, (byte)i }), 64)).ToArray();

        await Task.WhenAll(Enumerable.Range(0, 4).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < 20_000; i++)
            {
                var client = clients[(i + t) % clients.Length];
                if (counters.TryEnter(client, 3, out var counter))
                {
                    counters.Leave(client, counter);
                }
            }
        })));

        // Every enter was matched by a leave: no entry left behind, and every client can take its only slot.
        Assert.Equal(0, counters.Clients);
        Assert.All(clients, c => Assert.True(counters.TryEnter(c, 1, out _)));
    }
}
