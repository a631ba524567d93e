using BenchmarkDotNet.Attributes;
using Portcullis.Waf.Transactions;

namespace Portcullis.Benchmarks.Waf;

/// <summary>
/// The per-value caches' lookups (<see cref="LiteralHits"/>, <see cref="TransformationCache"/>) in a benign GET's
/// pattern: 678 lookups by reference over 60 strings, with the map emptied first as a transaction starts, and values
/// the size of <see cref="LiteralHits"/>' slots (32 bytes). With <see cref="FreshStrings"/> each invocation makes its
/// 60 strings anew, as each request's values are new objects (both methods pay the same allocations; the first
/// identity hash of each string is then part of the lookups). <see cref="IdentityMap{TKey, TValue}"/> against the
/// <see cref="Dictionary{TKey, TValue}"/> with the same struct key that it replaced.
/// </summary>
[MemoryDiagnoser]
public class IdentityMapBenchmarks
{
    private const int Lookups = 678;
    private const int Strings = 60;

    private readonly Dictionary<StringReference, Slot> _dictionary = new(256);
    private readonly IdentityMap<StringReference, Slot> _map = new(256);
    private readonly int[] _order = new int[Lookups];
    private string[] _strings = [];

    [Params(false, true)]
    public bool FreshStrings { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        for (var i = 0; i < Lookups; i++)
        {
            _order[i] = random.Next(Strings);
        }
        _strings = new string[Strings];
        NewStrings();
    }

    private void NewStrings()
    {
        for (var i = 0; i < Strings; i++)
        {
            _strings[i] = new string((char)('a' + i % 26), 5 + i % 20);
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Lookups)]
    public int Dictionary()
    {
        if (FreshStrings)
        {
            NewStrings();
        }
        _dictionary.Clear();
        var sum = 0;
        foreach (var at in _order)
        {
            var key = new StringReference(_strings[at]);
            if (_dictionary.TryGetValue(key, out var value))
            {
                sum += value.Start;
            }
            else
            {
                _dictionary[key] = new Slot(at, 1, 0, 0, false);
            }
        }
        return sum;
    }

    [Benchmark(OperationsPerInvoke = Lookups)]
    public int Map()
    {
        if (FreshStrings)
        {
            NewStrings();
        }
        _map.Clear();
        var sum = 0;
        foreach (var at in _order)
        {
            var key = new StringReference(_strings[at]);
            if (_map.TryGetValue(key, out var value))
            {
                sum += value.Start;
            }
            else
            {
                _map.Set(key, new Slot(at, 1, 0, 0, false));
            }
        }
        return sum;
    }

    /// <summary>The shape of <see cref="LiteralHits"/>' per-value slot: where its ids are, and its characters.</summary>
    private readonly record struct Slot(int Start, int Count, ulong Low, ulong High, bool Other);
}
