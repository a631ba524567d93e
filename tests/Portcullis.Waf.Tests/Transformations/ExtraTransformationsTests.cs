namespace Portcullis.Waf.Tests.Transformations;

/// <summary>The cheap transformations CRS does not use but SecLang defines.</summary>
public sealed class ExtraTransformationsTests
{
    [Theory]
    [InlineData("uppercase", "select \u00e9", "SELECT \u00e9")]
    [InlineData("uppercase", "ABC", "ABC")]
    [InlineData("trim", " \t a b \n", "a b")]
    [InlineData("trim", "\u00a0a\u00a0", "\u00a0a\u00a0")] // NBSP is not isspace().
    [InlineData("trim", "ab", "ab")]
    [InlineData("trimLeft", "  a ", "a ")]
    [InlineData("trimRight", "  a ", "  a")]
    [InlineData("replaceNulls", "a\0b", "a b")]
    [InlineData("replaceNulls", "ab", "ab")]
    [InlineData("base64DecodeExt", "VGVz dA==", "Test")]
    [InlineData("base64DecodeExt", "VG=Vz", "Tes")]
    [InlineData("base64DecodeExt", "V=", "")] // '=' after a lone sextet empties the result.
    [InlineData("base64DecodeExt", "dGVz\0dA", "tes")] // Stops at NUL.
    [InlineData("decodeBase64Ext", "dGVzdA", "test")]
    [InlineData("base64Encode", "test", "dGVzdA==")]
    [InlineData("base64Encode", "\u00ff", "/w==")]
    [InlineData("hexDecode", "414243", "ABC")]
    [InlineData("hexDecode", "4142434", "ABC")] // The odd last digit is dropped.
    [InlineData("hexDecode", "ff", "\u00ff")]
    [InlineData("md5", "", "\u00d4\u001d\u008c\u00d9\u008f\u0000\u00b2\u0004\u00e9\u0080\t\u0098\u00ec\u00f8B~")]
    [InlineData("urlEncode", "a b/\u00e9*", "a+b%2f%e9*")]
    [InlineData("urlEncode", "abc", "abc")]
    [InlineData("sqlHexDecode", "0x414243 x", "ABC x")]
    [InlineData("sqlHexDecode", "0x 0x4 10", "0x 0x4 10")]
    public void Apply_Input_MatchesModSecurity(string name, string input, string expected) =>
        TransformationAssert.Transforms(name, input, expected);
}
