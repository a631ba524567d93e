using System.Text;
using BenchmarkDotNet.Attributes;
using Portcullis.Waf.BodyProcessors;
using Portcullis.Waf.Detection;

namespace Portcullis.Benchmarks.Waf;

/// <summary>
/// <c>@detectSQLi</c> (<see cref="SqlInjectionDetector"/>) alone over the names and values of the 2 KB JSON order
/// (<see cref="BenignExchanges.CheckoutJson"/>), as CRS 942100 tests each of them: with the one-token answer and
/// with every reading (<see cref="SqlInjectionDetector.Reads"/>), so what the shortcut saves shows side by side.
/// </summary>
[MemoryDiagnoser]
public class SqlInjectionBenchmarks
{
    private string[] _values = [];

    [GlobalSetup]
    public void Setup()
    {
        var body = BenignExchanges.CheckoutJson().RequestBody!;
        var parsed = JsonBodyParser.Parse(body, maxDepth: 64);
        _values = [.. parsed.Arguments.SelectMany(a => new[] { a.Key, a.Value })];
        Console.WriteLine($"// {_values.Length} names and values, {_values.Count(v => SqlInjectionDetector.IsOneToken(v))} of one token");
    }

    [Benchmark(Baseline = true)]
    public int EveryReading()
    {
        var found = 0;
        foreach (var value in _values)
        {
            found += SqlInjectionDetector.Reads(value, out _) ? 1 : 0;
        }
        return found;
    }

    [Benchmark]
    public int WithOneTokenAnswer()
    {
        var found = 0;
        foreach (var value in _values)
        {
            found += SqlInjectionDetector.IsSqlInjection(value, out _) ? 1 : 0;
        }
        return found;
    }
}
