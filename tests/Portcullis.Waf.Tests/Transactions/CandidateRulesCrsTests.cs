using Portcullis.Waf.Rules;
using Portcullis.Waf.Tests.BuiltIn;
using Portcullis.Waf.Transactions;
using Xunit.Abstractions;

namespace Portcullis.Waf.Tests.Transactions;

/// <summary>
/// A rule no value has woken is passed over (<see cref="CandidateRules"/>): with CRS, every request of the labelled
/// corpus, in every placement it describes, must match exactly the rules (and variables) it matches when every rule
/// is asked value by value, at paranoia levels 1 and 2.
/// </summary>
public sealed class CandidateRulesCrsTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Run_CorpusRequests_MatchWhatTheyMatchWithoutTheDispatch(int paranoia)
    {
        var dispatched = Load(paranoia);
        var reference = Load(paranoia);
        var candidates = AllRules(reference).Count(r => r.Candidate >= 0);
        foreach (var rule in AllRules(reference))
        {
            rule.Candidate = -1;
        }
        var entries = CorpusEntry.Files().SelectMany(CorpusEntry.Read).Where((_, i) => i % 8 == 0).ToList();
        var differences = new List<string>();
        var matched = 0;
        foreach (var entry in entries)
        {
            var request = CorpusRequest.From(entry);
            var expected = Matches(request.Run(reference));
            var actual = Matches(request.Run(dispatched));
            matched += expected.Any(m => m.StartsWith("93", StringComparison.Ordinal) || m.StartsWith("94", StringComparison.Ordinal)) ? 1 : 0;
            if (!expected.SequenceEqual(actual))
            {
                differences.Add($"{entry.Id} ({entry.Placement}): [{string.Join(", ", expected)}] without, [{string.Join(", ", actual)}] with the dispatch");
            }
        }
        output.WriteLine($"PL{paranoia}: {candidates} rules dispatched, {entries.Count} requests, {matched} matched an attack rule (93xxxx-94xxxx)");
        differences.Take(20).ToList().ForEach(output.WriteLine);
        Assert.True(candidates > 100, $"only {candidates} rules were dispatched: the test would compare nothing");
        Assert.True(matched > entries.Count / 4, $"only {matched} of {entries.Count} requests matched an attack rule");
        Assert.Empty(differences);
    }

    private static string[] Matches(Transaction tx) => [.. tx.MatchedRules.Select(m => $"{m.Id} {m.VariableName}").Order(StringComparer.Ordinal)];

    private static IEnumerable<Rule> AllRules(RuleSet rules) =>
        rules.Phases.Where(p => p is not null).SelectMany(p => p.Rules).SelectMany(r => r.Chain).Distinct();

    private static RuleSet Load(int paranoia)
    {
        if (paranoia == 1)
        {
            return RuleSetLoader.LoadCrs(CrsDirectoryLocator.Find());
        }
        var file = Path.Combine(Path.GetTempPath(), $"portcullis-candidates-pl{paranoia}-{Environment.ProcessId}.conf");
        File.WriteAllText(file, $"SecAction \"id:900000,phase:1,pass,nolog,setvar:tx.blocking_paranoia_level={paranoia}\"\n");
        try
        {
            return RuleSetLoader.LoadCrs(CrsDirectoryLocator.Find(), before: [file]);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
