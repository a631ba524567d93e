using Portcullis.Waf.Tests.Operators.Prefilter;
using Portcullis.Waf.Transformations;

namespace Portcullis.Waf.Tests.Transformations;

/// <summary>
/// A transformation that declares it never lengthens a value lets the engine pass over a chain of such steps for a
/// value too short for any literal a rule there needs (LiteralDispatch.PruneBelow): each declaration must hold, or a
/// literal only a longer output holds would go unseen.
/// </summary>
public sealed class TransformationLengthTests
{
    private static string[] DeclaringNames() =>
        [.. TransformationRegistry.Names.Where(n => TransformationRegistry.TryGet(n, out var t) && t.NeverLengthens).Order()];

    public static TheoryData<string> Declaring() => [.. DeclaringNames()];

    [Fact]
    public void Declarations_CoverTheDecodersCrsChainsAndNotTheEncoders()
    {
        var declaring = DeclaringNames().ToHashSet(StringComparer.OrdinalIgnoreCase);

        foreach (var name in new[] { "lowercase", "urlDecodeUni", "htmlEntityDecode", "jsDecode", "cssDecode", "removeNulls", "cmdLine", "compressWhitespace", "removeWhitespace", "normalizePath", "replaceComments", "base64Decode" })
        {
            Assert.Contains(name, declaring);
        }
        foreach (var name in new[] { "utf8toUnicode", "hexEncode", "base64Encode", "urlEncode", "length", "md5", "sha1" })
        {
            Assert.DoesNotContain(name, declaring);
        }
    }

    [Theory]
    [MemberData(nameof(Declaring))]
    public void RandomValues_NeverComeOutLonger(string name)
    {
        Assert.True(TransformationRegistry.TryGet(name, out var transformation));
        var random = new Random(name.GetHashCode(StringComparison.Ordinal));
        // Mostly the characters decoders and removers act on, so escapes and entities are often well formed.
        const string Busy = "%uU0123456789abcdefABCDEFxX\\&#;/*-. \t\r\n'\"^,()=+0";

        for (var i = 0; i < 20_000; i++)
        {
            var chars = Enumerable.Range(0, random.Next(0, 40))
                .Select(_ => random.Next(4) == 0 ? (char)random.Next(256) : Busy[random.Next(Busy.Length)]);
            var value = new string([.. chars]);
            Assert.True(transformation.Apply(value).Length <= value.Length, $"{name} lengthened '{value}'");
        }
    }

    [Theory]
    [MemberData(nameof(Declaring))]
    public void CorpusValues_NeverComeOutLonger(string name)
    {
        Assert.True(TransformationRegistry.TryGet(name, out var transformation));

        foreach (var value in SampleValues.Load())
        {
            Assert.True(transformation.Apply(value).Length <= value.Length, $"{name} lengthened '{value}'");
        }
    }

    [Theory]
    [InlineData("%u0041%u00e9&#x10FFFF;&lt;\\u0041\\x41\\101")]
    [InlineData("&#65;&#x41;&amp;&quot;&nbsp;&#0000065;")]
    [InlineData("\\uff41\\uFF41%uff41")]
    public void EscapeHeavyValues_NeverComeOutLonger(string value)
    {
        foreach (var name in DeclaringNames())
        {
            Assert.True(TransformationRegistry.TryGet(name, out var transformation));
            Assert.True(transformation.Apply(value).Length <= value.Length, $"{name} lengthened '{value}'");
        }
    }
    public static TheoryData<string> All() => [.. TransformationRegistry.Names.Order()];

    [Theory]
    [MemberData(nameof(All))]
    public void OutputLengthBound_HoldsForRandomAndCorpusValues(string name)
    {
        Assert.True(TransformationRegistry.TryGet(name, out var transformation));
        var random = new Random(name.GetHashCode(StringComparison.Ordinal));
        const string Base64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_. %";
        var values = Enumerable.Range(0, 5_000)
            .Select(_ => new string([.. Enumerable.Range(0, random.Next(0, 30)).Select(_ => Base64[random.Next(Base64.Length)])]))
            .Concat(SampleValues.Load());

        foreach (var value in values)
        {
            Assert.True(transformation.Apply(value).Length <= transformation.OutputLengthBound(value), $"{name} of '{value}' exceeds its bound");
        }
    }

    [Theory]
    [InlineData("dGVzdA==rest", 4)]
    [InlineData("json.order.id", 3)]
    [InlineData("YXR0YWN", 5)]
    [InlineData("!abc", 0)]
    public void Base64Decode_BoundIsTheDecodedLength(string value, int length)
    {
        Assert.True(TransformationRegistry.TryGet("base64Decode", out var base64));

        Assert.Equal(length, base64.OutputLengthBound(value));
        Assert.Equal(length, base64.Apply(value).Length);
    }
}
