using System.Net;
using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Primitives;
using Portcullis.Challenge;

namespace Portcullis.Benchmarks;

/// <summary>
/// What challenge mode adds to a request that carries a valid pass: finding the cookie in a browser-like Cookie
/// header and checking it (one HMAC-SHA256), for an IPv4 and an IPv6 client; and the suspicious-mode lookup of an
/// unflagged client.
/// </summary>
[MemoryDiagnoser]
public class ChallengeBenchmarks
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
    private static readonly IPAddress V4 = IPAddress.Parse("203.0.113.7");
    private static readonly IPAddress V6 = IPAddress.Parse("2001:db8:1:2:3:4:5:6");

    private byte[] _key = null!;
    private PassCookie _passes = null!;
    private StringValues _cookieV4;
    private StringValues _cookieV6;
    private SuspiciousClients _suspicious = null!;

    [GlobalSetup]
    public void Setup()
    {
        _key = RandomNumberGenerator.GetBytes(32);
        _passes = new PassCookie(_key);
        var until = Now.AddHours(1);
        _cookieV4 = $"_ga=GA1.2.1234567890.1700000000; session=abc123def456; theme=dark; {PassCookie.Name}={_passes.Create("shop", V4, until)}";
        _cookieV6 = $"_ga=GA1.2.1234567890.1700000000; session=abc123def456; theme=dark; {PassCookie.Name}={_passes.Create("shop", V6, until)}";
        _suspicious = new SuspiciousClients(TimeProvider.System);
        for (var i = 0; i < 10_000; i++)
        {
            _suspicious.Flag($"198.51.100.{i % 256}-{i}", "rate_limit", TimeSpan.FromHours(1));
        }
    }

    [Benchmark]
    public bool ValidPassIPv4() => _passes.Verify(PassCookie.Find(_cookieV4), "shop", V4, Now) == PassVerdict.Valid;

    [Benchmark]
    public bool ValidPassIPv6() => _passes.Verify(PassCookie.Find(_cookieV6), "shop", V6, Now) == PassVerdict.Valid;

    /// <summary>The one-shot HMAC the pass check used first, for comparison (same message size).</summary>
    [Benchmark]
    public int OneShotHmacBaseline()
    {
        Span<byte> message = stackalloc byte[80];
        Span<byte> mac = stackalloc byte[32];
        return HMACSHA256.HashData(_key, message, mac);
    }

    [Benchmark]
    public bool SuspiciousLookupUnflagged() => _suspicious.IsFlagged(ClientKey.Of(V4));
}
