using Portcullis.Waf.Operators;
using Portcullis.Waf.Operators.Matching;
using Portcullis.Waf.Operators.Prefilter;
using Portcullis.Waf.Rules;
using Xunit.Abstractions;

namespace Portcullis.Waf.Tests.Operators.Prefilter;

/// <summary>
/// The shared literal scan (<see cref="LiteralScanner"/>, <see cref="LiteralMask"/>) must give every rule the answer
/// its own prefilter gives: checked on overlapping literals against a naive search, and for every CRS prefilter on the
/// sample values the prefilter soundness tests use.
/// </summary>
public sealed class LiteralScannerTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("ushers", "he,she,hers,his", "he,she,hers")]
    [InlineData("USHERS", "he,she,hers,his", "he,she,hers")]
    [InlineData("a his b", "he,she,hers,his", "his")]
    [InlineData("nothing here", "select,union,<script", "")]
    [InlineData("x<ScRiPt", "select,union,<script", "<script")]
    [InlineData("abcabcab", "abc,bca,cab,abcabcab,cc", "abc,bca,cab,abcabcab")]
    public void Scan_OverlappingLiterals_FindsEveryOne(string input, string literals, string expected)
    {
        var list = literals.Split(',');
        var scanner = new LiteralScanner(list);
        var found = new ulong[scanner.Words];
        scanner.Scan(input, found);

        var reported = list.Where((_, id) => (found[id >> 6] & (1UL << (id & 63))) != 0).ToArray();
        Assert.Equal(expected.Length == 0 ? [] : expected.Split(','), reported);
    }

    /// <summary>300 short literals fit 16-bit states; 12,000 long ones (over 65,536 states) take the 32-bit table.</summary>
    [Theory]
    [InlineData(300, 2, 6)]
    [InlineData(12_000, 8, 12)]
    public void Scan_ManyLiterals_AgreesWithNaiveSearch(int count, int minLength, int maxLength)
    {
        var random = new Random(7);
        var literals = Enumerable.Range(0, count).Select(_ => RandomWord(random, minLength, maxLength)).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var scanner = new LiteralScanner(literals);
        output.WriteLine($"{literals.Count} literals, table {scanner.TableBytes} bytes");
        for (var round = 0; round < 500; round++)
        {
            // Long literals seldom occur at random: plant one in every other input.
            var input = RandomWord(random, 0, 40) + (round % 2 == 0 ? literals[random.Next(literals.Count)] : "") + RandomWord(random, 0, 40);
            var found = new ulong[scanner.Words];
            scanner.Scan(input, found);
            for (var id = 0; id < literals.Count; id++)
            {
                var expected = input.Contains(literals[id], StringComparison.OrdinalIgnoreCase);
                Assert.True(expected == ((found[id >> 6] & (1UL << (id & 63))) != 0), $"'{literals[id]}' in '{input}'");
            }
            // The id list (what the engine reads) names each literal found once, after what the buffer held.
            var ids = new[] { -1 };
            var next = 1;
            scanner.Scan(input, new ulong[scanner.Words], ref ids, ref next);
            var bits = Enumerable.Range(0, literals.Count).Where(id => (found[id >> 6] & (1UL << (id & 63))) != 0);
            Assert.Equal(-1, ids[0]);
            Assert.Equal(bits, ids.AsSpan(1, next - 1).ToArray().Order());
        }
    }

    [Fact]
    public void SharedMask_EveryCrsPrefilter_SameAnswerAsItsOwnSearch()
    {
        var rules = RuleSetLoader.LoadCrs(CrsDirectoryLocator.Find());
        var scanner = rules.Literals!;
        var operators = rules.Phases.Skip(1).SelectMany(p => p.Rules)
            .SelectMany(head => Chain(head))
            .Select(rule => rule.Operator).OfType<RxOperator>().Where(rx => rx.SharedMask is not null).ToList();
        var values = SampleValues.Load();
        var disagreements = new List<string>();
        var maybe = 0L;
        foreach (var value in values)
        {
            var found = new ulong[scanner.Words];
            scanner.Scan(value, found);
            foreach (var rx in operators)
            {
                var own = rx.Prefilter!.MayMatch(value);
                var shared = rx.SharedMask!.Any(found);
                maybe += own ? 1 : 0;
                if (own != shared && disagreements.Count < 20)
                {
                    disagreements.Add($"{rx.Pattern[..Math.Min(60, rx.Pattern.Length)]}: own {own}, shared {shared} on {value[..Math.Min(80, value.Length)]}");
                }
            }
        }
        output.WriteLine($"{operators.Count} prefilters share {scanner.LiteralCount} literals ({scanner.TableBytes / 1048576.0:F1} MiB table); {values.Count} values, {maybe} may-match answers");
        disagreements.ForEach(output.WriteLine);

        Assert.Empty(disagreements);
        Assert.True(operators.Count > 100, $"only {operators.Count} prefilters share the scan");
        Assert.True(maybe > 10_000, "the comparison has no teeth");
    }

    /// <summary>The request phases' @pm lists join the shared scan: its answer must be the automaton's own, value by value.</summary>
    [Fact]
    public void SharedMask_EveryCrsRequestPm_SameAnswerAsItsOwnAutomaton()
    {
        var rules = RuleSetLoader.LoadCrs(CrsDirectoryLocator.Find());
        var lists = PmLists(rules, request: true);

        Assert.All(lists, pm => Assert.Same(rules.Literals, pm.SharedScanner));
        Assert.True(lists.Count >= 10, $"only {lists.Count} @pm lists share the scan");
        // Each list's phrases with a character above 0x7F (CRS's SSRF addresses in full-width digits), in text.
        var nonAscii = lists.SelectMany(pm => pm.Phrases).Where(phrase => !phrase.All(char.IsAscii)).Select(phrase => $"x {phrase} y").ToList();
        Assert.Contains(lists, pm => pm.NonAsciiLeftOut);
        var hits = AssertSameAnswers(rules.Literals!, lists, [.. SampleValues.Load(), .. nonAscii]);
        Assert.True(hits > 1_000, "the comparison has no teeth");
    }

    /// <summary>
    /// The response phases' @pm lists (error pages, web shells) share a scanner of their own: on the sample values, and
    /// on each phrase set in text (upper-cased, and cut short by one char), its answer is each automaton's own.
    /// </summary>
    [Fact]
    public void SharedMask_EveryCrsResponsePm_SameAnswerAsItsOwnAutomaton()
    {
        var rules = RuleSetLoader.LoadCrs(CrsDirectoryLocator.Find());
        var lists = PmLists(rules, request: false);

        Assert.All(lists, pm => Assert.Same(rules.ResponsePhrases, pm.SharedScanner));
        Assert.True(lists.Count >= 5, $"only {lists.Count} response @pm lists share a scan");
        var texts = lists.SelectMany(pm => pm.Phrases)
            .SelectMany(phrase => new[] { $"<p>x {phrase.ToUpperInvariant()} y</p>", $"<p>{phrase[..^1]}</p>" });
        var hits = AssertSameAnswers(rules.ResponsePhrases!, lists, [.. SampleValues.Load(), .. texts]);
        Assert.True(hits > 1_000, "the comparison has no teeth");
    }

    private static List<PmOperator> PmLists(RuleSet rules, bool request) =>
        [.. rules.Phases.Skip(1).SelectMany(p => p.Rules)
            .SelectMany(head => Chain(head).Select(rule => (head.Phase, rule.Operator)))
            .Where(p => p.Operator is PmOperator { SharedMask: not null } && p.Phase <= 2 == request)
            .Select(p => (PmOperator)p.Operator!)];

    private long AssertSameAnswers(LiteralScanner scanner, List<PmOperator> lists, IReadOnlyList<string> values)
    {
        var shared = lists.Select(pm => (Pm: pm, Own: new PhraseMatcher(pm.Phrases))).ToList();
        var disagreements = new List<string>();
        var hits = 0L;
        foreach (var value in values)
        {
            var found = new ulong[scanner.Words];
            scanner.Scan(value, found);
            foreach (var (pm, matcher) in shared)
            {
                var own = matcher.TryMatch(value, out _);
                hits += own ? 1 : 0;
                // A list whose phrases above 0x7F stay out of the scan may answer true for any value holding such a
                // character; it must never answer false where its automaton finds one.
                var nonAscii = pm.NonAsciiLeftOut && AsciiChars.Of(value).HasOther;
                var answer = pm.SharedMask!.Any(found) || nonAscii;
                if ((own ? !answer : answer && !nonAscii) && disagreements.Count < 20)
                {
                    disagreements.Add($"{pm.Phrases[0]}…: own {own} on {value[..Math.Min(80, value.Length)]}");
                }
            }
        }
        output.WriteLine($"{shared.Count} @pm lists share the scan ({scanner.LiteralCount} literals, {scanner.TableBytes / 1048576.0:F1} MiB table); {hits} hits");
        disagreements.ForEach(output.WriteLine);
        Assert.Empty(disagreements);
        return hits;
    }

    private static IEnumerable<Rule> Chain(Rule head)
    {
        for (var rule = head; rule is not null; rule = rule.Next)
        {
            yield return rule;
        }
    }

    private static string RandomWord(Random random, int min, int max)
    {
        const string Alphabet = "abcABC<>'\" s_-";
        var chars = new char[random.Next(min, max + 1)];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = Alphabet[random.Next(Alphabet.Length)];
        }
        return new string(chars);
    }
}
