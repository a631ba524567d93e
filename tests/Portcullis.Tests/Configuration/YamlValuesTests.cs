using Portcullis.Configuration;

namespace Portcullis.Tests.Configuration;

public sealed class YamlValuesTests
{
    [Theory]
    [InlineData("500ms", 0, 0, 0, 500)]
    [InlineData("1ms", 0, 0, 0, 1)]
    [InlineData("30s", 0, 0, 30, 0)]
    [InlineData("1.5s", 0, 0, 1, 500)]
    [InlineData("0.25s", 0, 0, 0, 250)]
    [InlineData("5m", 0, 5, 0, 0)]
    [InlineData("90m", 1, 30, 0, 0)]
    [InlineData("1h", 1, 0, 0, 0)]
    [InlineData("2d", 48, 0, 0, 0)]
    [InlineData("0s", 0, 0, 0, 0)]
    public void TryParseDuration_NumberWithUnit_Parses(string text, int hours, int minutes, int seconds, int milliseconds)
    {
        Assert.True(YamlValues.TryParseDuration(text, out var value));
        Assert.Equal(new TimeSpan(0, hours, minutes, seconds, milliseconds), value);
    }

    [Theory]
    [InlineData("30")] // no unit: 30 what?
    [InlineData("s")]
    [InlineData("ms")]
    [InlineData("")]
    [InlineData("-1s")]
    [InlineData("+1s")]
    [InlineData("abc")]
    [InlineData("1 s")]
    [InlineData(" 1s")]
    [InlineData("1S")]
    [InlineData("1sec")]
    [InlineData("1w")]
    [InlineData("1,5s")]
    [InlineData("1e3ms")]
    [InlineData("1h30m")]
    [InlineData("NaNs")]
    [InlineData("Infinitys")]
    [InlineData("1000000000s")] // the 1e9 cap
    public void TryParseDuration_Invalid_Rejected(string text)
    {
        Assert.False(YamlValues.TryParseDuration(text, out var value));
        Assert.Equal(TimeSpan.Zero, value);
    }

    [Fact]
    public void TryParseDuration_JustUnderCap_Parses()
    {
        Assert.True(YamlValues.TryParseDuration("999999999s", out var value));
        Assert.Equal(TimeSpan.FromSeconds(999999999), value);
    }

    [Theory]
    [InlineData("20000000d")]
    [InlineData("999999999d")]
    [InlineData("999999999h")]
    [InlineData("-Infinitys")] // double.TryParse reads the "-Infinity" symbol whatever the NumberStyles, and it passes "< 1e9"
    public void TryParseDuration_BeyondTimeSpanRange_Rejected(string text)
    {
        Assert.False(YamlValues.TryParseDuration(text, out _));
    }

    [Theory]
    [InlineData("0", 0L)]
    [InlineData("512", 512L)]
    [InlineData("512B", 512L)]
    [InlineData("1KB", 1024L)]
    [InlineData("1kb", 1024L)]
    [InlineData("64K", 65536L)]
    [InlineData("10MB", 10L * 1024 * 1024)]
    [InlineData("10m", 10L * 1024 * 1024)] // nginx's client_max_body_size 10m
    [InlineData("10M", 10L * 1024 * 1024)]
    [InlineData("2GB", 2L * 1024 * 1024 * 1024)]
    [InlineData("3g", 3L * 1024 * 1024 * 1024)]
    [InlineData("10 MB", 10L * 1024 * 1024)]
    [InlineData(" 10MB ", 10L * 1024 * 1024)]
    [InlineData("8589934591GB", 8589934591L << 30)] // the largest GB count that fits a long
    public void TryParseSize_BytesOrNumberWithUnit_Parses1024Based(string text, long expected)
    {
        Assert.True(YamlValues.TryParseSize(text, out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-1")]
    [InlineData("+1")]
    [InlineData("MB")]
    [InlineData("B")]
    [InlineData("1TB")] // terabytes are not supported
    [InlineData("1T")]
    [InlineData("1.5MB")]
    [InlineData("1,024")]
    [InlineData("1 000")]
    [InlineData("abc")]
    [InlineData("10MiB")]
    [InlineData("1KBB")]
    [InlineData("0x10")]
    [InlineData("8589934592GB")] // 2^63 bytes: one past long.MaxValue
    [InlineData("9223372036854775808")]
    public void TryParseSize_Invalid_Rejected(string text)
    {
        Assert.False(YamlValues.TryParseSize(text, out var value));
        Assert.Equal(0L, value);
    }

    [Theory]
    [InlineData("listen", "listen")]
    [InlineData("max_body_size", "max-body-size")] // '-' vs '_'
    [InlineData("Listen", "listen")] // case
    [InlineData("lsten", "listen")] // one deletion
    [InlineData("listenn", "listen")] // one insertion
    [InlineData("lisben", "listen")] // one substitution
    [InlineData("isten", "listen")] // at the start
    [InlineData("liste", "listen")] // at the end
    [InlineData("max_body", "MAX-BODYS")] // case, '-' and one insertion together
    public void LooksLike_OneEditOrLess_True(string a, string b)
    {
        Assert.True(YamlValues.LooksLike(a, b));
        Assert.True(YamlValues.LooksLike(b, a));
    }

    [Theory]
    [InlineData("listen", "lstn")] // two deletions
    [InlineData("listen", "listenxx")]
    [InlineData("listen", "lsiten")] // a transposition is two edits
    [InlineData("listen", "lxstxn")] // two substitutions
    [InlineData("hosts", "routes")]
    [InlineData("tls", "headers")]
    [InlineData("listen", "")]
    public void LooksLike_MoreThanOneEdit_False(string a, string b)
    {
        Assert.False(YamlValues.LooksLike(a, b));
        Assert.False(YamlValues.LooksLike(b, a));
    }
}
