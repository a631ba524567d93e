using System.Diagnostics;
using System.Text;
using Portcullis.Waf.BodyProcessors;
using static Portcullis.Waf.Tests.BodyProcessors.MultipartBodies;

namespace Portcullis.Waf.Tests.BodyProcessors;

public sealed class MultipartLimitsTests
{
    [Fact]
    public void Default_MatchesModSecurityDefaults()
    {
        Assert.Equal(100, MultipartLimits.Default.MaxFiles);
        Assert.Equal(1000, MultipartLimits.Default.MaxParts);
        Assert.Equal(32, MultipartLimits.Default.MaxHeadersPerPart);
    }

    [Fact]
    public void Init_ValidValues_AreKept()
    {
        var limits = new MultipartLimits { MaxFiles = 0, MaxParts = 1, MaxHeadersPerPart = 1 };
        Assert.Equal((0, 1, 1), (limits.MaxFiles, limits.MaxParts, limits.MaxHeadersPerPart));
    }

    [Fact]
    public void Init_InvalidValues_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new MultipartLimits { MaxFiles = -1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new MultipartLimits { MaxParts = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new MultipartLimits { MaxHeadersPerPart = 0 });
    }

    [Fact]
    public void Parse_MorePartsThanTheLimit_StopsWithAnError()
    {
        var fields = Enumerable.Range(0, 5).Select(i => ($"f{i}", "v")).ToArray();
        var result = Parse(Fields(fields), limits: new MultipartLimits { MaxParts = 3 });
        Assert.Equal("Multipart parsing error: Multipart: More than 3 parts.", result.Error);
        Assert.Equal(3, result.Arguments.Count);
        Assert.Equal("1", result.Variables["MULTIPART_STRICT_ERROR"]);
    }

    [Fact]
    public void Parse_PartsAtTheLimit_Parse()
    {
        var fields = Enumerable.Range(0, 3).Select(i => ($"f{i}", "v")).ToArray();
        var result = Parse(Fields(fields), limits: new MultipartLimits { MaxParts = 3 });
        Assert.Null(result.Error);
        Assert.Equal(3, result.Arguments.Count);
    }

    [Fact]
    public void Parse_MoreHeadersThanTheLimit_StopsWithAnError()
    {
        var headers = string.Concat(Enumerable.Range(0, 3).Select(i => $"X-{i}: v\r\n"));
        var body = "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n" + headers + "\r\nv\r\n--b--\r\n";
        Assert.Equal("Multipart parsing error: Multipart: More than 3 part headers.", Parse(body, limits: new MultipartLimits { MaxHeadersPerPart = 3 }).Error);
        Assert.Null(Parse(body, limits: new MultipartLimits { MaxHeadersPerPart = 4 }).Error);
    }

    [Fact]
    public void Parse_HundredThousandParts_StaysBounded()
    {
        var body = new StringBuilder();
        for (var i = 0; i < 100_000; i++)
        {
            body.Append("--b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\n1\r\n");
        }
        body.Append("--b--\r\n");

        var watch = Stopwatch.StartNew();
        var result = Parse(body.ToString());
        watch.Stop();

        Assert.Equal("Multipart parsing error: Multipart: More than 1000 parts.", result.Error);
        Assert.Equal(1000, result.Arguments.Count);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
    }

    [Fact]
    public void Parse_TenMegabyteValue_IsLinear()
    {
        var value = new string('a', 10 << 20);
        var watch = Stopwatch.StartNew();
        var result = Parse(Fields(("big", value)));
        watch.Stop();
        Assert.Null(result.Error);
        Assert.Equal(value.Length, Assert.Single(result.Arguments).Value.Length);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
    }

    [Fact]
    public void Parse_MillionShortLines_IsLinear()
    {
        var value = string.Concat(Enumerable.Repeat("--x\r\n", 1_000_000));
        var watch = Stopwatch.StartNew();
        var result = Parse(Fields(("lines", value)));
        watch.Stop();
        Assert.Null(result.Error);
        Assert.Equal(value, Assert.Single(result.Arguments).Value);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
    }
}
