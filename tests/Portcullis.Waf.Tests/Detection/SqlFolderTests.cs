using Portcullis.Waf.Detection;

namespace Portcullis.Waf.Tests.Detection;

public sealed class SqlFolderTests
{
    private static string Bare(string input) => SqlInjectionDetector.Fingerprint(input, new SqlParseMode('\0', MySql: false));

    private static string InQuote(string input) => SqlInjectionDetector.Fingerprint(input, new SqlParseMode('\'', MySql: false));

    [Theory]
    [InlineData("1 UNION SELECT 1", "1UE1")]
    [InlineData("1 union all select a.b, 2, 'x' from t", "1UEnk")]
    [InlineData("1+1+1 or 2=2", "1&1")]
    [InlineData("((((-1 or 1", "1&1")]
    [InlineData("select * from users where id = 1", "Eoknk")]
    [InlineData("x ORDER BY 1", "nB1")]
    [InlineData("waitfor delay '0:0:5'", "Es")]
    [InlineData("1 is not null", "1ov")]
    [InlineData("@@version", "v")]
    [InlineData("0x414243", "1")]
    [InlineData("1 /* note */ or 1", "1&1")]
    [InlineData("1 or 1 --", "1&1c")]
    [InlineData("select /* a /* b */ 1", "X")]
    public void Fingerprint_BareReading_FoldsToShape(string input, string expected) =>
        Assert.Equal(expected, Bare(input));

    [Theory]
    [InlineData("1' OR '1'='1", "s&sos")]
    [InlineData("admin'--", "sc")]
    [InlineData("x') union select 1--", "s)UE1")]
    [InlineData("O'Reilly", "sn")]
    public void Fingerprint_SingleQuoteContext_StartsWithTheClosedLiteral(string input, string expected) =>
        Assert.Equal(expected, InQuote(input));

    [Theory]
    [InlineData("'it''s'", 1)]
    [InlineData("'it\\'s' 'x'", 1)]
    [InlineData("\"a\" 1", 2)]
    public void Fingerprint_QuotedLiterals_HonourSqlEscapes(string input, int tokens) =>
        Assert.Equal(tokens, Bare(input).Length);

    [Fact]
    public void Fingerprints_LibinjectionList_IsLoaded() => Assert.Equal(8363, SqlFingerprints.Count);
}
