using BenchmarkDotNet.Attributes;
using Portcullis.Waf.Operators.Prefilter;

namespace Portcullis.Benchmarks.Waf;

/// <summary>
/// The shared literal scan (<see cref="LiteralScanner"/>) alone, over CRS 4.28's request-phase literals: every header
/// value and argument of the benign GET (<see cref="BenignExchanges.SearchPage"/>) scanned once, as a transaction
/// scans each distinct value. The scan is the innermost loop of a benign transaction (~15 % of a GET).
/// </summary>
[MemoryDiagnoser]
public class LiteralScanBenchmarks
{
    private LiteralScanner _scanner = null!;
    private string[] _values = [];
    private ulong[] _found = [];
    private int[] _ids = new int[256];

    [GlobalSetup]
    public void Setup()
    {
        _scanner = CrsLoader.Load(paranoia: 1).Rules.Literals ?? throw new InvalidOperationException("CRS loaded without a shared literal scanner");
        var get = BenignExchanges.SearchPage();
        var query = get.Target[(get.Target.IndexOf('?') + 1)..].Split('&').SelectMany(pair => pair.Split('='));
        _values = [get.Target, .. get.RequestHeaders.SelectMany(h => new[] { h.Name, h.Value }), .. query];
        _found = new ulong[_scanner.Words];
        Console.WriteLine($"// {_values.Length} values, {_values.Sum(v => v.Length)} chars, {_scanner.LiteralCount} literals, table {_scanner.TableBytes / 1024} KiB");
    }

    /// <summary>All values of the GET, each scanned into the id list and its bits cleared again, as LiteralHits does.</summary>
    [Benchmark]
    public int ScanBenignGetValues()
    {
        var total = 0;
        foreach (var value in _values)
        {
            var count = 0;
            _scanner.Scan(value, _found, ref _ids, ref count);
            foreach (var id in _ids.AsSpan(0, count))
            {
                _found[id >> 6] = 0;
            }
            total += count;
        }
        return total;
    }
}
