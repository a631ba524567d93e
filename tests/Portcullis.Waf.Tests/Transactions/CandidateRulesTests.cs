using Portcullis.Waf.Rules;
using Portcullis.Waf.Transactions;

namespace Portcullis.Waf.Tests.Transactions;

/// <summary>
/// Rules a literal must wake (<see cref="LiteralDispatch"/>) are passed over unless a value they may select holds one
/// of their literals once transformed (<see cref="CandidateRules"/>): a value that holds it only after decoding, only
/// at a multiMatch rule's middle step, only in the body, or only in one header must still wake its rule.
/// </summary>
public sealed class CandidateRulesTests
{
    private const string Rules = """
        SecRuleEngine On
        SecRule ARGS "@rx attack" "id:1,phase:1,pass,log"
        SecRule ARGS "@rx attack" "id:2,phase:1,pass,log,t:urlDecodeUni"
        SecRule ARGS "@rx attack" "id:3,phase:1,pass,log,t:none,t:urlDecodeUni,t:base64Decode,multiMatch"
        SecRule ARGS "@rx attack" "id:4,phase:2,pass,log,t:urlDecodeUni"
        SecRule REQUEST_HEADERS:User-Agent "@pm sqlmap nikto" "id:5,phase:1,pass,log,t:lowercase"
        SecRule ARGS_NAMES "@rx attack" "id:6,phase:2,pass,log,chain"
            SecRule REQUEST_HEADERS:X-Test "@rx evil" "t:removeWhitespace"
        SecRule ARGS "!@rx attack" "id:7,phase:2,pass,log"
        SecRule &ARGS "@eq 1" "id:8,phase:2,pass,log"
        """;

    [Fact]
    public void Build_QualifyingRules_AreNumberedAndTheOthersAreNot()
    {
        var rules = RuleSetLoader.LoadText(Rules, "test.conf");

        var numbered = rules.Phases.Where(p => p is not null).SelectMany(p => p.Rules).SelectMany(r => r.Chain).Distinct()
            .Where(r => r.Candidate >= 0).Select(r => r.Id).Order();

        // The chain link of 6 counts under its head's id; 7 is negated and 8 counts.
        Assert.Equal([1, 2, 3, 4, 5, 6, 6], numbered);
        Assert.Equal(7, rules.Dispatch!.CandidateCount);
    }

    [Fact]
    public void Run_NoValueHoldsALiteral_OnlyTheNegatedAndCountingRulesMatch()
    {
        var tx = WafTestRequests.Run(Rules, "/?a=fine", headers: [("User-Agent", "Mozilla/5.0")]);

        Assert.Equal([7, 8], tx.Ids().Order());
    }

    [Fact]
    public void Run_LiteralOnlyAfterDecoding_WakesTheDecodingRules()
    {
        // The query parser decodes %2561 to %61; t:urlDecodeUni decodes that to "a".
        var tx = WafTestRequests.Run(Rules, "/?a=%2561ttack");

        Assert.Equal([2, 3, 4, 7, 8], tx.Ids().Order());
    }

    [Fact]
    public void Run_LiteralOnlyAtAMultiMatchMiddleStep_WakesTheMultiMatchRule()
    {
        // "%61ttack" is "attack" after t:urlDecodeUni; its last step (t:base64Decode) turns that into other bytes.
        var tx = WafTestRequests.Run(Rules.Replace("id:2,", "id:20,", StringComparison.Ordinal), "/?a=%2561ttack");

        Assert.Contains(3, tx.Ids());
        Assert.Equal("attack", tx.MatchedRules.Single(m => m.Id == 3).MatchedValue);
    }

    [Theory]
    [InlineData("YXR0YWNr", true)]         // "attack", base64: long enough for the literal once decoded
    [InlineData("YXR0YWNr%2520", true)]    // the decoding stops at the first non-base64 character
    [InlineData("YXR0YWN", false)]         // five bytes: too short for "attack" below the decoding
    public void Run_LiteralOnlyAfterBase64Decoding_WakesTheMultiMatchRule(string argument, bool matches)
    {
        var tx = WafTestRequests.Run(Rules.Replace("id:2,", "id:20,", StringComparison.Ordinal), "/?a=" + argument);

        Assert.Equal(matches, tx.Ids().Contains(3));
    }

    [Fact]
    public void Run_LiteralOnlyInTheBody_WakesThePhase2RuleAfterThePhase1RulesWereAsked()
    {
        var tx = WafTestRequests.Run(Rules, "/?a=fine", "POST", [("Content-Type", "application/x-www-form-urlencoded")], "b=an+attack");

        // Phase 1 saw only the query; the body's arguments arrive before phase 2.
        Assert.Equal([4, 7], tx.Ids().Order());
    }

    [Theory]
    [InlineData(CandidateRules.LongPart - 1)]
    [InlineData(CandidateRules.LongPart)]
    [InlineData(CandidateRules.LongPart + 50)]
    public void Run_LiteralAfterDecodingInTheLastOfManyArguments_WakesTheDecodingRules(int count)
    {
        var query = "/?" + string.Concat(Enumerable.Range(0, count - 1).Select(i => $"f{i}=fine+value+{i}&")) + "z=%2561ttack";

        var tx = WafTestRequests.Run(Rules, query);

        Assert.Equal([2, 3, 4, 7], tx.Ids().Order());
    }

    [Theory]
    [InlineData(10)]
    [InlineData(CandidateRules.LongPartChars / 40)]
    public void Run_LiteralAfterDecodingAfterManyLongArguments_WakesTheDecodingRules(int length)
    {
        // 40 arguments of this length: at the top, more characters than the dispatch scans one by one.
        var query = "/?" + string.Concat(Enumerable.Range(0, 40).Select(i => $"f{i}={new string('x', length)}&")) + "z=%2561ttack";

        var tx = WafTestRequests.Run(Rules, query);

        Assert.Equal([2, 3, 4, 7], tx.Ids().Order());
    }

    [Theory]
    [InlineData(10)]
    [InlineData(CandidateRules.LongValue)]
    public void Run_LiteralAfterDecodingInTheBody_WakesTheBodyRule(int padding)
    {
        var rules = Rules + "\nSecRule REQUEST_BODY \"@rx attack\" \"id:9,phase:2,pass,log,t:urlDecodeUni\"\nSecRule REQUEST_BODY \"!@rx zzz\" \"id:10,phase:2,pass,log\"";
        // As sent; t:urlDecodeUni makes "attack" of it.
        var body = "b=" + new string('x', padding) + "&c=%61ttack";

        var tx = WafTestRequests.Run(rules, "/", "POST", [("Content-Type", "application/x-www-form-urlencoded")], body);

        Assert.Equal([9, 10], tx.Ids().Where(i => i >= 9).Order());
    }

    [Theory]
    [InlineData(10)]
    [InlineData(CandidateRules.LongValue)]
    public void Run_LiteralAfterDecodingInALongArgument_WakesTheDecodingRules(int padding)
    {
        var tx = WafTestRequests.Run(Rules, "/?a=fine&z=" + new string('x', padding) + "%2561ttack");

        Assert.Equal([2, 3, 4, 7], tx.Ids().Order());
    }

    [Fact]
    public void Run_LiteralInTheSelectedHeader_WakesTheHeaderRule()
    {
        var tx = WafTestRequests.Run(Rules, "/", headers: [("User-Agent", "SQLMap/1.7")]);

        Assert.Equal([5], tx.Ids());
    }

    [Fact]
    public void Run_RepeatedHeaders_WakeTheirRulesOnEveryRequest()
    {
        // From the second request on the header strings are kept (RepeatedValues), and so is what they marked.
        var rules = RuleSetLoader.LoadText(Rules, "test.conf");
        var browser = new[] { ("User-Agent", "Mozilla/5.0 (X11; Linux x86_64)"), ("Accept", "text/html,*/*;q=0.8") };
        var scanner = new[] { ("User-Agent", "Nikto/2.5"), ("X-Test", "e v i l") };

        for (var i = 0; i < 4; i++)
        {
            Assert.Equal([5, 6, 7, 8], WafTestRequests.Run(rules, "/?attack=1", headers: scanner).Ids().Order());
            Assert.Empty(WafTestRequests.Run(rules, "/?fine=1", headers: browser).Ids().Except([7, 8]));
        }
    }

    [Fact]
    public void Run_ChainLinkLiteralOnlyAfterItsTransformation_TheChainMatches()
    {
        var tx = WafTestRequests.Run(Rules, "/?attack=1", headers: [("X-Test", "e v i l")]);

        Assert.Contains(6, tx.Ids());
        Assert.Equal("REQUEST_HEADERS:X-Test", tx.MatchedRules.Single(m => m.Id == 6).VariableName);
    }
    [Fact]
    public void Run_ManyValuesWakeTheRule_TheOneThatMatchesIsStillFound()
    {
        // More values wake the rule than are kept one by one; it then evaluates them all, and the match in the last
        // one (after many that hold the literal and do not match) is found.
        var rules = "SecRuleEngine On\nSecRule ARGS \"@rx attack[0-9]\" \"id:1,phase:1,pass,log,t:urlDecodeUni\"";
        var query = "/?" + string.Concat(Enumerable.Range(0, 60).Select(i => $"f{i}=an+attack+{i}&")) + "z=%2561ttack7";

        var tx = WafTestRequests.Run(rules, query);

        Assert.Equal("attack7", tx.MatchedRules.Single(m => m.Id == 1).MatchedValue);
    }

    [Fact]
    public void Run_OneValueWakesTheRule_OnlyThatValueMatches()
    {
        var rules = "SecRuleEngine On\nSecRule ARGS \"@rx attack\" \"id:1,phase:1,pass,log,t:urlDecodeUni\"";

        var tx = WafTestRequests.Run(rules, "/?a=fine&b=%2561ttack&c=also+fine");

        Assert.Equal(["ARGS:b"], tx.MatchedRules.Where(m => m.Id == 1).Select(m => m.VariableName));
    }

    [Theory]
    [InlineData("/?a=fine&b=%253Cscript", true)]
    [InlineData("/?a=fine&b=script", false)]
    public void Run_CharactersOnlyAfterDecoding_WakeTheRulesThatNeedThem(string target, bool matches)
    {
        // A pattern with no literal to search for wakes on its characters ("<"), the XSS detector on its triggers.
        var rules = """
            SecRuleEngine On
            SecRule ARGS "@rx <\s*[a-z]" "id:1,phase:1,pass,log,t:urlDecodeUni"
            SecRule ARGS "@detectXSS" "id:2,phase:1,pass,log,t:urlDecodeUni"
            """;
        var parsed = RuleSetLoader.LoadText(rules, "test.conf");
        var tx = WafTestRequests.Run(parsed, target);

        Assert.True(parsed.Phases.Where(p => p is not null).SelectMany(p => p.Rules).All(r => r.Candidate >= 0));
        Assert.Equal(matches ? [1, 2] : [], tx.Ids().Order());
    }

    [Theory]
    [InlineData("/?a=system+call&b=(x)", false)]   // the name in one value, the parenthesis in another
    [InlineData("/?a=system(x)", true)]
    [InlineData("/?a=system%2528x)", true)]       // the parenthesis only after decoding
    [InlineData("/?a=SYSTEM(x)", true)]
    public void MayMatch_LiteralWithoutTheCharactersThePatternAlsoNeeds_DoesNotWake(string target, bool woken)
    {
        var parsed = RuleSetLoader.LoadText("""
            SecRuleEngine On
            SecRule ARGS "@rx (?i)\b(?:system|exec)\s*\(" "id:1,phase:1,pass,log,t:urlDecodeUni"
            """, "test.conf");
        var rule = OnlyRule(parsed);

        var tx = WafTestRequests.Start(parsed, target);

        Assert.True(rule.Candidate >= 0);
        Assert.Equal(woken, tx.Candidates.MayMatch(tx, rule));
        Assert.Equal(woken, tx.Ids().Contains(1));
    }

    [Theory]
    [InlineData("/?a=an+attack", true)]
    [InlineData("/?a=caf%E9", true)]          // the phrase with a byte above 0x7F, left out of the shared scan
    [InlineData("/?a=caf%25E9", true)]        // that byte only after decoding
    [InlineData("/?a=CAF%E9", true)]
    [InlineData("/?a=cafe&b=%E9", false)]
    [InlineData("/?a=cafe", false)]
    public void Run_PhraseListWithNonAsciiPhrases_TheAsciiOnesShareTheScanAndBothMatch(string target, bool matches)
    {
        var parsed = RuleSetLoader.LoadText("""
            SecRuleEngine On
            SecRule ARGS "@pm attack café" "id:1,phase:1,pass,log,t:urlDecodeUni"
            """, "test.conf");
        var rule = OnlyRule(parsed);

        var tx = WafTestRequests.Run(parsed, target);

        Assert.True(rule.Candidate >= 0);
        Assert.True(((Portcullis.Waf.Operators.PmOperator)rule.Operator!).NonAsciiLeftOut);
        Assert.Equal(matches, tx.Ids().Contains(1));
    }

    private static Rule OnlyRule(RuleSet rules) => rules.Phases.Where(p => p is not null).SelectMany(p => p.Rules).Single();
}
