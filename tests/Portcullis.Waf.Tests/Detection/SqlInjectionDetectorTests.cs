using Portcullis.Waf.Detection;

namespace Portcullis.Waf.Tests.Detection;

public sealed class SqlInjectionDetectorTests
{
    [Theory]
    [InlineData("1' OR '1'='1")]
    [InlineData("1 UNION SELECT password FROM users")]
    [InlineData("-1 union all select 1,2,3--")]
    [InlineData("admin'--")]
    [InlineData("1; DROP TABLE users")]
    [InlineData("1 AND SLEEP(5)")]
    [InlineData("1/**/UNION/**/SELECT/**/1")]
    [InlineData("1 /*!UNION*/ SELECT 1")]
    [InlineData("\" or \"\"=\"")]
    [InlineData("1234 OR 1=1")]
    [InlineData("x' AND 1=(SELECT COUNT(*) FROM tabname); --")]
    [InlineData(" ORDER BY 1,SLEEP(5)")]
    [InlineData("1 /* a /* nested */ comment */")]
    public void IsSqlInjection_ClassicAttack_ReturnsTrueWithFingerprint(string input)
    {
        Assert.True(SqlInjectionDetector.IsSqlInjection(input, out var fingerprint), input);
        Assert.InRange(fingerprint.Length, 1, SqlFolder.MaxTokens);
    }

    [Theory]
    [InlineData("O'Reilly")]
    [InlineData("select a plan")]
    [InlineData("1-2")]
    [InlineData("The quick brown fox jumps over the lazy dog")]
    [InlineData("alice.smith+news@example.com")]
    [InlineData("Tom & Jerry: the movie")]
    [InlineData("2024-05-01")]
    [InlineData("Rock 'n' roll")]
    [InlineData("sign in or register")]
    [InlineData("1 union")]
    [InlineData("")]
    public void IsSqlInjection_BenignText_ReturnsFalse(string input)
    {
        Assert.False(SqlInjectionDetector.IsSqlInjection(input, out var fingerprint), input);
        Assert.Empty(fingerprint);
    }

    [Theory]
    [InlineData("1 UNION ALL SELECT 1", "1UE1")]
    [InlineData("1' OR '1'='1", "s&sos")]
    [InlineData("admin'--", "sc")]
    [InlineData("sleep(20)", "f(1)")]
    public void IsSqlInjection_Attack_ReportsFoldedFingerprint(string input, string expected)
    {
        Assert.True(SqlInjectionDetector.IsSqlInjection(input, out var fingerprint));
        Assert.Equal(expected, fingerprint, ignoreCase: true);
    }

    [Fact]
    public void IsSqlInjection_BytesAboveAscii_AreWordCharsNotSeparators()
    {
        // 0xE9 (é) belongs to the word, so "\xE9union" is one bareword, not "union".
        Assert.False(SqlInjectionDetector.IsSqlInjection("1 \u00E9union \u00E9select 1", out _));
        // 0xA0 separates tokens as MySQL's whitespace does.
        Assert.True(SqlInjectionDetector.IsSqlInjection("1\u00A0union\u00A0select\u00A01", out _));
    }

    [Fact]
    public void IsSqlInjection_HugeHostileInput_FinishesQuickly()
    {
        var hostile = string.Concat(Enumerable.Repeat("1+(('\"/*", 50_000));
        var watch = System.Diagnostics.Stopwatch.StartNew();
        SqlInjectionDetector.IsSqlInjection(hostile, out _);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), watch.Elapsed.ToString());
    }

    [Fact]
    public void IsSqlInjection_BenignPath_DoesNotAllocate()
    {
        const string input = "The quick brown fox jumps over the lazy dog's back, 42 times";
        SqlInjectionDetector.IsSqlInjection(input, out _);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            SqlInjectionDetector.IsSqlInjection(input, out _);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    /// <summary>The one-token answer (<see cref="SqlInjectionDetector.IsOneToken"/>) is the full reading's on every SQL
    /// keyword (each case, alone and with digits or a word around it), on digits, and on random words.</summary>
    [Fact]
    public void IsOneToken_EveryKeywordAndRandomWords_TheFullReadingFindsNoInjection()
    {
        var words = SqlKeywordData.Lines.Split('\n').Where(line => line.Length > 2).Select(line => line.Trim()[2..]).ToList();
        var random = new Random(4242);
        const string Alphabet = "abcdefghijklmnopqrstuvwxyz0123456789_ABCDEFGHIJKLMNOPQRSTUVWXYZ";
        var inputs = words
            .SelectMany(w => new[] { w, w.ToLowerInvariant(), w.ToUpperInvariant(), w + "1", w + "_x", "x" + w, w + "9999" })
            .Concat(Enumerable.Range(0, 5000).Select(_ => new string([.. Enumerable.Range(0, random.Next(1, 24)).Select(_ => Alphabet[random.Next(Alphabet.Length)])])))
            .Concat(["0", "1", "1240", "00000000000000000000000000000000000000000001", "x", "X", "N", "B", "E"])
            .Where(input => SqlInjectionDetector.IsOneToken(input))
            .ToList();

        var found = inputs.Where(input => SqlInjectionDetector.Reads(input, out _)).ToList();

        Assert.Empty(found);
        Assert.True(inputs.Count > 9_000, $"only {inputs.Count} one-token inputs");
        Assert.False(SqlInjectionDetector.IsOneToken("1union"));
        Assert.False(SqlInjectionDetector.IsOneToken("1 or 1=1"));
        Assert.True(SqlInjectionDetector.IsSqlInjection("1 or 1=1", out _));
        Assert.False(SqlInjectionDetector.IsOneToken("union select"));
        Assert.False(SqlInjectionDetector.IsOneToken("a.b"));
        Assert.False(SqlInjectionDetector.IsOneToken(""));
    }
}
