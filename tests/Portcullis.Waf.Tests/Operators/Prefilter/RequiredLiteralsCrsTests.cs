using System.Text.RegularExpressions;
using Portcullis.Waf.Operators;
using Portcullis.Waf.Operators.Prefilter;
using Xunit.Abstractions;

namespace Portcullis.Waf.Tests.Operators.Prefilter;

/// <summary>
/// The analysis over all 318 CRS <c>@rx</c> patterns: how many get a prefilter, and that no prefilter ever rejects
/// a value its regex matches (a rejected match would be a missed attack), on every CRS regression-test request part
/// and every ../shared/attacks payload.
/// </summary>
public sealed class RequiredLiteralsCrsTests(ITestOutputHelper output)
{
    // Measured when the analysis was written (default limits): 162 of 318 covered, none refused by the parser, median
    // shortest literal 6 bytes. Most of the rest genuinely need no literal of 3 bytes (^\d+$, [\n\r], "${", the
    // b.u.s.y.b.o.x-style evasion patterns); the big word lists (933151, 942150, …) need more than 64 literals.
    // Raise the floor when coverage improves, never lower it.
    private const int CoverageFloor = 162;

    /// <summary>With the engine's own limits (more literals, the evasion-gap kind): measured 2026-11-27.</summary>
    private const int EngineCoverageFloor = 173;

    private static readonly Lazy<IReadOnlyList<(string RuleId, string Pattern)>> Patterns = new(CrsRxPatterns.Load);

    [Fact]
    public void Analyze_AllCrsPatterns_CoverageAtLeastFloor()
    {
        var patterns = Patterns.Value;
        var results = patterns.Select(p => RequiredLiterals.Analyze(p.Pattern)).ToList();
        var covered = results.Where(r => r is not null).Select(r => r!).ToList();
        var refused = patterns.Count(p => PatternParser.TryParse(p.Pattern) is null);
        var minLengths = covered.Select(r => r.Min(l => l.Length)).Order().ToList();
        output.WriteLine($"{covered.Count}/{patterns.Count} patterns get a prefilter; {refused} refused by the parser");
        output.WriteLine($"median shortest literal {Median(minLengths)}, median literal count {Median(covered.Select(r => r.Count).Order().ToList())}");
        foreach (var limits in new[] { new PrefilterLimits(MinLiteralLength: 2), new PrefilterLimits(MaxLiterals: 256), new PrefilterLimits(MaxLiterals: 256, MinLiteralLength: 2) })
        {
            output.WriteLine($"with {limits}: {patterns.Count(p => RequiredLiterals.Analyze(p.Pattern, limits) is not null)}/{patterns.Count}");
        }
        for (var i = 0; i < patterns.Count; i++)
        {
            var shown = results[i] is { } r ? string.Join(" | ", r.Take(12).Select(Printable)) + (r.Count > 12 ? $" … ({r.Count})" : "") : "(none)";
            output.WriteLine($"  {patterns[i].RuleId}: {shown}");
        }

        Assert.Equal(318, patterns.Count);
        Assert.True(covered.Count >= CoverageFloor, $"{covered.Count} patterns covered");
    }

    /// <summary>The prefilter the engine runs (<see cref="RegexPrefilter"/>: required literals or the evasion-gap kind).</summary>
    [Fact]
    public void Prefilter_AllCrsPatterns_NeverRejectAValueTheRegexMatches()
    {
        var values = SampleValues.Load();
        var withSet = Patterns.Value
            .Select(p => (p.RuleId, p.Pattern, Prefilter: RegexPrefilter.For(p.Pattern)))
            .Where(p => p.Prefilter is not null)
            .ToList();
        var gapKind = withSet.Where(p => p.Prefilter!.AfterGap).ToList();
        Assert.True(withSet.Count >= EngineCoverageFloor, $"{withSet.Count} patterns have the engine's prefilter");
        output.WriteLine($"{withSet.Count} patterns with a prefilter, {gapKind.Count} of the evasion-gap kind: {string.Join(' ', gapKind.Select(p => p.RuleId))}");
        foreach (var (ruleId, _, prefilter) in gapKind)
        {
            output.WriteLine($"  {ruleId}: {string.Join(" | ", prefilter!.Literals.Take(12).Select(Printable))} ({prefilter.Literals.Count})");
        }
        var violations = new System.Collections.Concurrent.ConcurrentBag<string>();
        var exercised = 0;
        var matches = 0L;
        var timeouts = 0;
        var skipped = 0L;
        Parallel.ForEach(withSet, new ParallelOptions { MaxDegreeOfParallelism = 2 }, p =>
        {
            var regex = PcrePattern.Compile(p.Pattern, TimeSpan.FromSeconds(1));
            var matched = 0;
            for (var i = 0; i < values.Count; i++)
            {
                var passes = p.Prefilter!.MayMatch(values[i]);
                bool isMatch;
                try
                {
                    isMatch = regex.IsMatch(values[i]);
                }
                catch (RegexMatchTimeoutException)
                {
                    Interlocked.Increment(ref timeouts);
                    continue;
                }
                if (!passes)
                {
                    Interlocked.Increment(ref skipped);
                }
                if (isMatch)
                {
                    matched++;
                    if (!passes)
                    {
                        violations.Add($"{p.RuleId}: /{p.Pattern[..Math.Min(p.Pattern.Length, 120)]}/ matches {Printable(values[i])} " +
                            $"without any of {string.Join(", ", p.Prefilter!.Literals.Take(10).Select(Printable))}{(p.Prefilter.AfterGap ? " (after the gap)" : "")}");
                    }
                }
            }
            if (matched > 0)
            {
                Interlocked.Increment(ref exercised);
            }
            Interlocked.Add(ref matches, matched);
        });
        output.WriteLine($"{values.Count} sample values; {withSet.Count} patterns with a prefilter, {exercised} of them matched at least one value " +
            $"({matches} matches); the prefilter skipped {skipped} of {(long)values.Count * withSet.Count} regex runs " +
            $"({(double)skipped / ((long)values.Count * withSet.Count):P1}); {timeouts} timeouts");
        foreach (var v in violations.Take(30))
        {
            output.WriteLine(v);
        }

        Assert.Empty(violations);
        // The check must have teeth: most prefiltered patterns have to meet values they match.
        Assert.True(exercised >= withSet.Count / 2, $"only {exercised} of {withSet.Count} patterns matched any sample value");
    }

    private static double Median(List<int> sorted) =>
        sorted.Count == 0 ? 0 : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2.0;

    private static string Printable(string s)
    {
        var shown = s.Length > 160 ? s[..160] + "…" : s;
        return "'" + string.Concat(shown.Select(c => c is < ' ' or > '~' ? $"\\x{(int)c:X2}" : c.ToString())) + "'";
    }
}
