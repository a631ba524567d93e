using Portcullis.Waf.Operators;
using Portcullis.Waf.Tests.Transactions;

namespace Portcullis.Waf.Tests.Operators;

/// <summary>Every operator as a rule uses it: through SecLang, against a value, in the engine.</summary>
public class OperatorTests
{
    private static bool Matches(string op, string value, string setup = "")
    {
        var rules = setup + $"SecRule ARGS:v \"{op}\" \"id:100,phase:1,pass,log\"\n";
        return WafTestRequests.Run(rules, "/?v=" + PercentEncodeBytes(value)).Ids().Contains(100);
    }

    /// <summary>Each char is one byte (0x00-0xFF), sent as %XX so it arrives as exactly that byte.</summary>
    private static string PercentEncodeBytes(string value) => string.Concat(value.Select(c => $"%{(int)c:X2}"));

    /// <summary>A large word list with \b, as CRS writes them, on both translations (ASCII and Latin-1 input).</summary>
    [Theory]
    [InlineData("x word37 y", true)]
    [InlineData("xword37 y", false)]
    [InlineData("\u00e9word37", true)] // not ASCII: the exact (lookaround) translation, é is no word byte
    [InlineData("a\u00e9word37b", false)]
    [InlineData("WORD5", true)]
    [InlineData("nothing here", false)]
    public void Rx_LargeWordList_SameVerdictForAsciiAndLatin1Input(string value, bool expected)
    {
        var words = string.Join('|', Enumerable.Range(0, 80).Select(i => $"word{i}"));
        Assert.Equal(expected, Matches($"@rx (?i)\\b(?:{words})\\b", value));
        Assert.Equal(!expected, Matches($"!@rx (?i)\\b(?:{words})\\b", value));
    }

    [Fact]
    public void Rx_LargePatternWithCapture_CapturesTheGroup()
    {
        var words = string.Join('|', Enumerable.Range(0, 80).Select(i => $"word{i}"));
        var tx = WafTestRequests.Run($$"""
            SecRule ARGS:v "@rx (?i)\b({{words}})\b" "id:100,phase:1,pass,log,capture,msg:'%{tx.1}'"
            """, "/?v=a+word42+b");

        Assert.Equal("word42", tx.MatchedRules.Single().Message);
    }

    /// <summary>^.*$ (CRS 920450) skips the regex: the capture must be what the regex itself captures (dot-all, $ at the end only).</summary>
    [Theory]
    [InlineData("host")]
    [InlineData("")]
    [InlineData("two\nlines\n")]
    [InlineData("\r\n\u00ff")]
    public void Rx_WholeValue_CapturesWhatTheRegexCaptures(string value)
    {
        var tx = WafTestRequests.Run("""
            SecRule ARGS:v "@rx ^.*$" "id:100,phase:1,pass,log,capture,setvar:tx.whole=%{tx.0}"
            """, "/?v=" + PercentEncodeBytes(value));

        Assert.Equal([100], tx.Ids());
        Assert.Equal(PcrePattern.Compile("^.*$", TimeSpan.FromSeconds(1)).Match(value).Value, tx.GetTxVariable("whole"));
        Assert.Equal(value, tx.GetTxVariable("whole"));
    }

    [Theory]
    [InlineData("@rx ^ab+c$", "abbbc", true)]
    [InlineData("@rx ^ab+c$", "abc\n", false)] // DOLLAR_ENDONLY: $ does not match before a final newline
    [InlineData("@rx (?i)select", "SeLeCt", true)]
    [InlineData("@rx \\bselect\\b", "\u00e9select", true)] // byte mode: é is not a word byte, so \b holds
    [InlineData("@rx \\bselect\\b", "a select b", true)] // ASCII input takes .NET's own \b
    [InlineData("@rx \\bselect\\b", "aselect", false)]
    [InlineData("@rx \\Bselect", "aselect", true)]
    [InlineData("@rx \\Bselect", "\u00e9select", false)]
    [InlineData("@rx (?i)union[\\s]+select", "1 UNION  SELECT 2", true)] // the literal prefilter passes it to the regex
    [InlineData("@rx (?i)union[\\s]+select", "1 union all 2", false)] // ... and stops this one before it
    [InlineData("!@rx ^[0-9]+$", "12a", true)]
    [InlineData("!@rx ^[0-9]+$", "12", false)]
    [InlineData("ab", "xaby", true)] // a bare pattern is @rx
    [InlineData("@eq 5", "5", true)]
    [InlineData("@eq 5", "5abc", true)] // atoi
    [InlineData("@eq 0", "abc", true)] // atoi of non-numbers is 0
    [InlineData("@gt 5", "6", true)]
    [InlineData("@gt 5", "5", false)]
    [InlineData("@ge 5", "5", true)]
    [InlineData("@lt 5", "-1", true)]
    [InlineData("@le 5", "6", false)]
    [InlineData("@streq abc", "abc", true)]
    [InlineData("@streq abc", "ABC", false)]
    [InlineData("@contains bad", "so bad here", true)]
    [InlineData("@beginsWith /adm", "/admin", true)]
    [InlineData("@beginsWith /adm", "x/admin", false)]
    [InlineData("@endsWith .php", "index.php", true)]
    [InlineData("@endsWith .php", "index.php5", false)]
    [InlineData("@within GET HEAD POST", "HEAD", true)]
    [InlineData("@within GET HEAD POST", "PUT", false)]
    [InlineData("@within GET HEAD POST", "", false)] // an empty input is never within
    [InlineData("@pm union select", "x UNION y", true)] // case-insensitive phrases
    [InlineData("@pm union select", "unio", false)]
    [InlineData("@ipMatch 10.0.0.0/8,192.168.1.1", "10.2.3.4", true)]
    [InlineData("@ipMatch 10.0.0.0/8,192.168.1.1", "192.168.1.2", false)]
    [InlineData("@ipMatch ::1", "::1", true)]
    [InlineData("@validateByteRange 32-126", "plain text", false)]
    [InlineData("@validateByteRange 48-57", "123", false)]
    [InlineData("@validateByteRange 48-57", "12a", true)]
    [InlineData("@validateUrlEncoding", "a%zz", true)]
    [InlineData("@validateUrlEncoding", "a%41", false)]
    [InlineData("@validateUtf8Encoding", "\u00c3\u00a9", false)] // é as UTF-8 bytes
    [InlineData("@validateUtf8Encoding", "\u00c3", true)] // truncated sequence
    [InlineData("@validateUtf8Encoding", "\u00c0\u00af", true)] // overlong '/'
    [InlineData("@detectSQLi", "1' OR '1'='1", true)]
    [InlineData("@detectSQLi", "O'Reilly books", false)]
    [InlineData("@detectXSS", "<script>alert(1)</script>", true)]
    [InlineData("@detectXSS", "fish & chips <3", false)]
    [InlineData("@unconditionalMatch", "anything", true)]
    [InlineData("@noMatch", "anything", false)]
    public void Operator_Value_MatchesAsModSecurity(string op, string value, bool expected)
    {
        // Values go in percent-encoded, so every byte (0x00-0xFF) reaches the operator as one char.
        Assert.Equal(expected, Matches(op, value));
    }

    [Fact]
    public void ValidateByteRange_CharOutside_Matches()
    {
        Assert.True(Matches("@validateByteRange 32-126", "tab\there"));
    }

    [Theory]
    [InlineData("@ge %{tx.limit}", "7", true)]
    [InlineData("@ge %{tx.limit}", "6", false)]
    [InlineData("@streq %{tx.expected}", "a-b", true)]
    [InlineData("@within %{tx.allowed}", "POST", true)]
    public void Operator_MacroParameter_ExpandedPerTransaction(string op, string value, bool expected)
    {
        const string setup = "SecAction \"id:1,phase:1,pass,nolog,setvar:tx.limit=7,setvar:tx.expected=a-b,setvar:'tx.allowed=GET POST'\"\n";
        Assert.Equal(expected, Matches(op, value, setup));
    }

    [Fact]
    public void PmFromFile_RelativeToTheRuleFile_LoadsAndMatches()
    {
        var dir = Directory.CreateTempSubdirectory("pm-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "words.data"), "# comment\nevil\n\nwicked\n");
            var rules = Path.Combine(dir, "rules.conf");
            File.WriteAllText(rules, "SecRule ARGS \"@pmFromFile words.data\" \"id:1,phase:1,pass,log,capture,setvar:tx.found=%{tx.0}\"\n");
            var ruleSet = Portcullis.Waf.Rules.RuleSetLoader.LoadFiles([rules]);

            var tx = WafTestRequests.Run(ruleSet, "/?q=so%20WICKED");

            Assert.Equal([1], tx.Ids());
            Assert.Equal("wicked", tx.GetTxVariable("found"));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void Rx_CatastrophicPatternPastTimeout_CountsAsNoMatchAndIsRecorded()
    {
        // (a+)+$ on "aaaa...!" backtracks exponentially; the engine's time bound turns it into "no match".
        var ruleSet = Portcullis.Waf.Rules.RuleSetLoader.LoadText("""
            SecRule ARGS:v "@rx ^(a+)+$" "id:1,phase:1,deny"
            SecRule ARGS:v "@rx !" "id:2,phase:1,pass,log"
            """);

        var tx = WafTestRequests.Run(ruleSet, "/?v=" + new string('a', 40) + "!");

        Assert.Null(tx.Interruption);
        Assert.Equal(1, tx.RegexTimeouts);
        Assert.Equal([2], tx.Ids());
    }
}
