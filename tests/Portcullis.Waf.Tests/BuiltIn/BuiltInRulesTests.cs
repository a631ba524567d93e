using Portcullis.Waf.BuiltIn;
using Portcullis.Waf.Rules;

namespace Portcullis.Waf.Tests.BuiltIn;

/// <summary>The built-in rule text itself: it loads, and every rule carries the metadata the README header promises.</summary>
public sealed class BuiltInRulesTests
{
    [Fact]
    public void Text_EmbeddedResource_IsTheRuleFile()
    {
        Assert.StartsWith("# ---", BuiltInRules.Text, StringComparison.Ordinal);
        Assert.Contains("id:219110", BuiltInRules.Text, StringComparison.Ordinal);
        Assert.Equal("portcullis-builtin.conf", BuiltInRules.SourceName);
    }

    [Fact]
    public void LoadText_BuiltInAlone_LoadsWithoutErrors()
    {
        var rules = RuleSetLoader.LoadText(BuiltInRules.Text, BuiltInRules.SourceName);

        Assert.True(rules.RuleCount > 60, $"only {rules.RuleCount} rules loaded");
    }

    [Fact]
    public void Rules_EveryRule_HasABuiltInIdAndVersion()
    {
        var rules = AllRules(BuiltInPrelude.Load()).Where(r => r.File == BuiltInRules.SourceName).ToList();

        Assert.NotEmpty(rules);
        Assert.All(rules, r => Assert.InRange(r.Id, 210000, 219999));
        Assert.All(rules, r => Assert.Equal("portcullis-builtin/1", r.Version));
        Assert.Equal(rules.Count, rules.Select(r => r.Id).Distinct().Count());
    }

    [Fact]
    public void Rules_EveryScoringRule_HasSeverityAttackTagAndParanoiaTag()
    {
        // A scoring rule is a "block" rule (the evaluation rules deny); its chain must set the score. That it is the
        // inbound score, with the severity's weight, is what BuiltInScoringTests checks by running requests.
        var scoring = AllRules(BuiltInPrelude.Load())
            .Where(r => r.File == BuiltInRules.SourceName && r.Disruptive == DisruptiveAction.Block)
            .ToList();

        Assert.True(scoring.Count > 40, $"only {scoring.Count} scoring rules");
        Assert.All(scoring, r =>
        {
            Assert.NotNull(r.Severity);
            Assert.NotNull(r.Message);
            Assert.Contains(r.Tags, t => t.StartsWith("attack-", StringComparison.Ordinal));
            Assert.Contains(r.Tags, t => t.StartsWith("paranoia-level/", StringComparison.Ordinal));
            Assert.Contains(Chain(r), link => link.Actions.OfType<Portcullis.Waf.Actions.SetVarAction>().Any());
        });
    }

    private static IEnumerable<Rule> Chain(Rule head)
    {
        for (var link = head; link is not null; link = link.Next)
        {
            yield return link;
        }
    }

    private static IEnumerable<Rule> AllRules(RuleSet rules) =>
        rules.Phases.Where(p => p is not null).SelectMany(p => p.Rules).Where(r => !r.IsChainLink);
}
