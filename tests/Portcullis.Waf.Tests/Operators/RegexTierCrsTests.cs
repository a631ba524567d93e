using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Portcullis.Waf.Operators;
using Portcullis.Waf.Tests.Operators.Prefilter;
using Xunit.Abstractions;

namespace Portcullis.Waf.Tests.Operators;

/// <summary>
/// The NonBacktracking twin a hot <c>@rx</c> gets (<see cref="RegexTier"/>) must accept exactly what the interpreter
/// accepts: checked for every CRS pattern the engine lets be promoted, in both translations (ASCII <c>\b</c> and the
/// exact Latin-1 one), on the CRS regression-test request parts and the attack corpus.
/// </summary>
public sealed class RegexTierCrsTests(ITestOutputHelper output)
{
    /// <summary>Measured 2026-11-27: patterns whose ASCII translation NonBacktracking accepts. Raise, never lower.</summary>
    private const int PromotableFloor = 300;

    /// <summary>Every value was compared once (68,750 values, 190 s, no disagreement); the suite keeps one ASCII value in this many to stay fast.</summary>
    private const int AsciiSampleStride = 5;

    [Fact]
    public void Promoted_AllCrsPatterns_SameVerdictAsTheInterpreter()
    {
        var values = SampleValues.Load();
        var ascii = values.Where(v => Ascii.IsValid(v)).Where((_, i) => i % AsciiSampleStride == 0).ToList();
        var latin1 = values.Where(v => !Ascii.IsValid(v)).ToList();
        var patterns = CrsRxPatterns.Load();
        var disagreements = new System.Collections.Concurrent.ConcurrentBag<string>();
        var promotable = 0;
        var exactPromotable = 0;
        var matches = 0L;
        var watch = Stopwatch.StartNew();
        Parallel.ForEach(patterns, new ParallelOptions { MaxDegreeOfParallelism = 2 }, p =>
        {
            foreach (var (asciiInput, inputs) in new[] { (true, ascii), (false, latin1) })
            {
                var tier = new RegexTier(PcrePattern.Compile(p.Pattern, TimeSpan.FromSeconds(1), asciiInput: asciiInput));
                if (!tier.PromoteNow())
                {
                    continue;
                }
                Interlocked.Increment(ref asciiInput ? ref promotable : ref exactPromotable);
                foreach (var value in inputs)
                {
                    bool slow;
                    bool fast;
                    try
                    {
                        slow = tier.Interpreted.IsMatch(value);
                        fast = tier.Promoted!.IsMatch(value);
                    }
                    catch (RegexMatchTimeoutException)
                    {
                        continue;
                    }
                    if (slow)
                    {
                        Interlocked.Increment(ref matches);
                    }
                    if (slow != fast)
                    {
                        disagreements.Add($"{p.RuleId} ({(asciiInput ? "ascii" : "exact")}): interpreter {slow}, NonBacktracking {fast} on {Printable(value)}");
                    }
                }
            }
        });
        output.WriteLine($"{promotable}/{patterns.Count} patterns promotable (ASCII translation), {exactPromotable} (exact); " +
            $"{ascii.Count} ASCII and {latin1.Count} Latin-1 values, {matches} matches, {watch.Elapsed.TotalSeconds:F0} s");
        foreach (var d in disagreements.Take(20))
        {
            output.WriteLine(d);
        }

        Assert.Empty(disagreements);
        Assert.True(promotable >= PromotableFloor, $"{promotable} promotable");
        Assert.True(matches > 10_000, $"only {matches} matches: the comparison has no teeth");
    }

    private static string Printable(string s)
    {
        var shown = s.Length > 120 ? s[..120] + "…" : s;
        var builder = new StringBuilder("'");
        foreach (var c in shown)
        {
            builder.Append(c is < ' ' or > '~' ? $"\\x{(int)c:X2}" : c.ToString());
        }
        return builder.Append('\'').ToString();
    }
}
