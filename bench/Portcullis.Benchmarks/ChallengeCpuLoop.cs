using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using Portcullis.Challenge;

namespace Portcullis.Benchmarks;

/// <summary>
/// The pass check's cost in CPU time rather than wall time: on a machine shared with other work, BenchmarkDotNet's
/// wall-clock figures include the time this process waited for a core; the process's own CPU time does not.
/// <c>dotnet run -c Release --project bench/Portcullis.Benchmarks -- --cpu-challenge [MILLIONS]</c>
/// </summary>
public static class ChallengeCpuLoop
{
    public static void Run(int millions)
    {
        var key = RandomNumberGenerator.GetBytes(32);
        var passes = new PassCookie(key);
        var client = IPAddress.Parse("203.0.113.7");
        var now = DateTimeOffset.UtcNow;
        Microsoft.Extensions.Primitives.StringValues header =
            $"_ga=GA1.2.1234567890.1700000000; session=abc123def456; theme=dark; {PassCookie.Name}={passes.Create("shop", client, now.AddHours(1))}";
        var count = millions * 1_000_000;
        Measure("pass check (find + verify), IPv4", count, () => passes.Verify(PassCookie.Find(header), "shop", client, now) == PassVerdict.Valid);
        Measure("one-shot HMACSHA256.HashData, 80 bytes", count, () =>
        {
            Span<byte> message = stackalloc byte[80];
            Span<byte> mac = stackalloc byte[32];
            return HMACSHA256.HashData(key, message, mac) == 32;
        });
    }

    private static void Measure(string name, int count, Func<bool> operation)
    {
        for (var i = 0; i < count / 10; i++)
        {
            operation();
        }
        var process = Process.GetCurrentProcess();
        process.Refresh();
        var cpuBefore = process.TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        var ok = 0;
        for (var i = 0; i < count; i++)
        {
            ok += operation() ? 1 : 0;
        }
        wall.Stop();
        process.Refresh();
        var cpu = process.TotalProcessorTime - cpuBefore;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name}: {cpu.TotalNanoseconds / count:F0} ns CPU/op, {wall.Elapsed.TotalNanoseconds / count:F0} ns wall/op ({ok} of {count} true)"));
    }
}
