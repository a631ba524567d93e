using Portcullis.Waf.Rules;
using Portcullis.Waf.Tests.Detection.Support;
using Portcullis.Waf.Transactions;
using Xunit.Abstractions;

namespace Portcullis.Waf.Tests.Transactions;

/// <summary>
/// A rule going through a long list of values tests each value's scan first (<see cref="ValueScans"/>), where a short
/// list asks the operator value by value: with CRS, an attack among many benign fields must match exactly the rules
/// it matches among a few.
/// </summary>
public sealed class ValueScansCrsTests(ITestOutputHelper output)
{
    private static readonly Lazy<RuleSet> Crs = new(() => RuleSetLoader.LoadCrs(CrsDirectoryLocator.Find()));

    private static readonly string[] Classes =
        ["xss.jsonl", "sqli.jsonl", "cmdi.jsonl", "lfi.jsonl", "path_traversal.jsonl", "ssti.jsonl", "jndi.jsonl", "nosqli.jsonl", "ssrf.jsonl"];

    [Theory]
    [InlineData(40)]
    [InlineData(63)]
    [InlineData(150)]
    public void Run_AttackAmongManyFields_MatchesTheRulesItMatchesAmongFew(int many)
    {
        Assert.True(SelectionLiterals.ScansFrom <= many, "the long form must reach the length that uses the scans");
        var payloads = Classes
            .SelectMany(file => AttackCorpus.Read(file).Where(r => r.Placement is "query" or "form").Select(r => r.Payload).Where((_, i) => i % 40 == 0))
            .ToList();
        var differences = new List<string>();
        var matchedSome = 0;
        foreach (var payload in payloads)
        {
            var few = Ids(Post(payload, fields: 2));
            var among = Ids(Post(payload, fields: many));
            if (few.Any(id => id is >= 930000 and < 950000))
            {
                matchedSome++;
            }
            if (!few.SequenceEqual(among))
            {
                differences.Add($"{payload}: [{string.Join(',', few)}] among few, [{string.Join(',', among)}] among {many}");
            }
        }
        output.WriteLine($"{payloads.Count} payloads, {matchedSome} matched an attack rule (930000-949999)");
        differences.ForEach(output.WriteLine);
        Assert.True(matchedSome > payloads.Count / 2, $"only {matchedSome} of {payloads.Count} payloads matched an attack rule: the test would not see a difference");
        Assert.Empty(differences);
    }

    private static int[] Ids(Transaction tx) => [.. tx.Ids().Order()];

    /// <summary>A urlencoded form post: the payload, then <paramref name="fields"/> benign fields.</summary>
    private static Transaction Post(string payload, int fields)
    {
        var body = "comment=" + Uri.EscapeDataString(payload) + string.Concat(Enumerable.Range(0, fields).Select(i => $"&field{i}=fine+value+{i}"));
        return WafTestRequests.Run(Crs.Value, "/submit", "POST", [("Content-Type", "application/x-www-form-urlencoded")], body);
    }
}
