using Portcullis.Waf.Transformations;

namespace Portcullis.Waf.Tests.Transformations;

public sealed class Sha1Tests
{
    [Theory]
    [InlineData("", "da39a3ee5e6b4b0d3255bfef95601890afd80709")]
    [InlineData("abc", "a9993e364706816aba3e25717850c26c9cd0d89d")] // FIPS 180 test vector.
    [InlineData("\u00ff", "85e53271e14006f0265921d02d4d736cdc580b0b")] // One byte 0xFF, not its UTF-8 form.
    public void Apply_Input_GivesRawDigestBytes(string input, string expectedHex)
    {
        var digest = Sha1.Instance.Apply(input);
        Assert.Equal(20, digest.Length);
        Assert.Equal(expectedHex, HexEncode.Instance.Apply(digest));
    }
}
