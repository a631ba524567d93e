using System.Net;
using BenchmarkDotNet.Attributes;
using Portcullis.Configuration;
using Portcullis.Limits;

namespace Portcullis.Benchmarks.Limits;

/// <summary>
/// The per-request cost of the rate-limit check (budget: 1 µs): the client key from the address, the lookup of the
/// client's bucket among <see cref="Clients"/> others, replenishing it and taking a token. Allowed is the common
/// case; Rejected is a client over its limit (allocates the lease that carries Retry-After). The baseline is the
/// least any per-client scheme pays: the same key and a lookup in a table of the same size. On a shared, loaded
/// machine the absolute times swing several-fold from run to run; the ratio to the baseline is the stable figure.
/// </summary>
[MemoryDiagnoser]
public class RateLimiterBenchmarks
{
    private IPAddress[] _addresses = null!;
    private ClientRateLimiter _generous = null!;
    private ClientRateLimiter _strict = null!;
    private System.Collections.Concurrent.ConcurrentDictionary<ClientKey, int> _table = null!;
    private int _next;

    [Params(1, 100_000)]
    public int Clients { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        // Distinct IPv4 and IPv6 clients, half each, in an order that defeats the CPU cache as real traffic does.
        var random = new Random(42);
        _addresses = [.. Enumerable.Range(0, Clients).Select(i => i % 2 == 0
            ? new IPAddress(BitConverter.GetBytes(0x0A000000 + i))
            : IPAddress.Parse($"2001:db8:{i >> 16:x}:{i & 0xFFFF:x}::1")).OrderBy(_ => random.Next())];
        _generous = new ClientRateLimiter("rate:bench", new RateLimitConfig { Requests = 1_000_000, Per = TimeSpan.FromSeconds(1), Burst = 1_000_000 }, Clients + 1);
        _strict = new ClientRateLimiter("rate:strict", new RateLimitConfig { Requests = 1, Per = TimeSpan.FromHours(1), Burst = 1 }, Clients + 1);
        _table = new(_addresses.Select(a => KeyValuePair.Create(ClientKey.From(a, 64), 1)));
        foreach (var address in _addresses)
        {
            _generous.TryAcquire(ClientKey.From(address, 64));
            _strict.TryAcquire(ClientKey.From(address, 64));
        }
    }

    [Benchmark(Baseline = true)]
    public bool KeyAndLookup()
    {
        var address = _addresses[_next++ % _addresses.Length];
        return _table.TryGetValue(ClientKey.From(address, 64), out _);
    }

    [Benchmark]
    public bool Allowed()
    {
        var address = _addresses[_next++ % _addresses.Length];
        return _generous.TryAcquire(ClientKey.From(address, 64)).IsAllowed;
    }

    [Benchmark]
    public bool Rejected()
    {
        var address = _addresses[_next++ % _addresses.Length];
        return _strict.TryAcquire(ClientKey.From(address, 64)).IsAllowed;
    }
}
