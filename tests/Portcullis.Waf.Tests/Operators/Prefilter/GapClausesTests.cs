using System.Text;
using System.Text.RegularExpressions;
using Portcullis.Waf.Operators;
using Portcullis.Waf.Operators.Prefilter;
using Xunit.Abstractions;

namespace Portcullis.Waf.Tests.Operators.Prefilter;

/// <summary>
/// The further literal sets of CRS's evasion-gap command patterns (<see cref="GapClauses"/>): what they hold, and that
/// a value they reject is never one the regex matches, over every CRS pattern and sample value.
/// </summary>
public sealed class GapClausesTests(ITestOutputHelper output)
{
    private static readonly Lazy<IReadOnlyList<(string RuleId, string Pattern)>> Patterns = new(CrsRxPatterns.Load);

    [Fact]
    public void For_Crs932230_RequiresASeparatorOrPrefixBeforeTheCommand()
    {
        var pattern = Patterns.Value.First(p => p.RuleId == "932230").Pattern;
        var clauses = GapClauses.For(pattern);
        var separators = Assert.Single(clauses);
        Assert.Contains(";", separators);
        Assert.Contains("`", separators);
        Assert.Contains("busybox", separators);
        Assert.DoesNotContain(separators, l => l is "ls" or "sh");
        var regex = PcrePattern.Compile(pattern, TimeSpan.FromSeconds(1));
        // "ls" inside a word passes the command-word prefilter; without a separator the regex cannot match.
        Assert.DoesNotMatch(regex, "the details of my order");
        Assert.False(Meets(clauses, "the details of my order"));
        Assert.Matches(regex, "x;ls -la");
        Assert.True(Meets(clauses, "x;ls -la"));
        // With a gap character the clause cannot tell: it passes.
        Assert.True(Meets(clauses, "l's"));
    }

    [Fact]
    public void For_PatternWithoutGaps_HasNone() => Assert.Empty(GapClauses.For(@"(?:;|&&)\s*ls\b"));

    [Fact]
    public void CrsPatterns_NeverRejectAValueTheRegexMatches()
    {
        var values = SampleValues.Load();
        var withClauses = Patterns.Value.Select(p => (p.RuleId, p.Pattern, Clauses: GapClauses.For(p.Pattern))).Where(p => p.Clauses.Count > 0).ToList();
        output.WriteLine($"{withClauses.Count} CRS patterns have gap clauses");
        foreach (var (ruleId, _, clauses) in withClauses)
        {
            output.WriteLine($"  {ruleId}: {string.Join(" & ", clauses.Select(c => $"[{string.Join(' ', c.Take(25).Select(l => l.Replace("\n", "\\n").Replace("\r", "\\r")))}{(c.Length > 25 ? " …" : "")}] ({c.Length})"))}");
        }
        var violations = new System.Collections.Concurrent.ConcurrentBag<string>();
        long rejected = 0;
        Parallel.ForEach(withClauses, new ParallelOptions { MaxDegreeOfParallelism = 2 }, p =>
        {
            var exact = PcrePattern.Compile(p.Pattern, TimeSpan.FromSeconds(1));
            var ascii = PcrePattern.Compile(p.Pattern, TimeSpan.FromSeconds(1), asciiInput: true);
            foreach (var value in values)
            {
                if (Meets(p.Clauses, value))
                {
                    continue;
                }
                Interlocked.Increment(ref rejected);
                try
                {
                    if ((Ascii.IsValid(value) ? ascii : exact).IsMatch(value))
                    {
                        violations.Add($"{p.RuleId} matches '{value[..Math.Min(value.Length, 120)]}'");
                    }
                }
                catch (RegexMatchTimeoutException)
                {
                }
            }
        });
        output.WriteLine($"{values.Count} sample values: {rejected} of {(long)values.Count * withClauses.Count} regex runs rejected");
        foreach (var v in violations.Take(30))
        {
            output.WriteLine(v);
        }
        Assert.Empty(violations);
        Assert.True(withClauses.Count >= 5, $"only {withClauses.Count} patterns have gap clauses");
        Assert.True(rejected > 10_000, "the check has no teeth");
    }

    /// <summary>The engine's test, spelled out: an escape character passes; otherwise every clause needs a literal.</summary>
    private static bool Meets(IReadOnlyList<string[]> clauses, string value) =>
        CharMask.Of(value) is var chars && (chars.HasOther || chars.Meets(GapClauses.Escape) || clauses.All(c => RequiredLiterals.ContainsAny(value, c)));
}
