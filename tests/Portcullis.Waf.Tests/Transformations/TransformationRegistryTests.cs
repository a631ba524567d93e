using Portcullis.Waf.Transformations;

namespace Portcullis.Waf.Tests.Transformations;

public sealed class TransformationRegistryTests
{
    /// <summary>Every transformation CRS 4.28 uses (notes/waf.md §1), "none" excepted.</summary>
    public static TheoryData<string> CrsNames => new()
    {
        "urlDecodeUni", "urlDecode", "lowercase", "jsDecode", "htmlEntityDecode", "utf8toUnicode", "removeNulls",
        "cssDecode", "cmdLine", "removeWhitespace", "replaceComments", "normalizePath", "escapeSeqDecode",
        "compressWhitespace", "normalizePathWin", "base64Decode", "length", "hexEncode", "sha1", "removeCommentsChar",
    };

    [Theory]
    [MemberData(nameof(CrsNames))]
    public void TryGet_CrsName_FindsTransformationWithThatName(string name)
    {
        Assert.True(TransformationRegistry.TryGet(name, out var transformation));
        Assert.Equal(name, transformation.Name);
    }

    [Theory]
    [InlineData("URLDECODEUNI", "urlDecodeUni")]
    [InlineData("cmdline", "cmdLine")]
    [InlineData("normalisePathWin", "normalizePathWin")]
    public void TryGet_OtherSpelling_FindsTransformation(string name, string canonical)
    {
        Assert.True(TransformationRegistry.TryGet(name, out var transformation));
        Assert.Equal(canonical, transformation.Name);
    }

    [Theory]
    [InlineData("none")]
    [InlineData("nope")]
    [InlineData("")]
    public void TryGet_UnknownOrNone_ReturnsFalse(string name) =>
        Assert.False(TransformationRegistry.TryGet(name, out _));

    [Fact]
    public void Build_DuplicateName_Throws()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            TransformationRegistry.Build([Lowercase.Instance, Lowercase.Instance], []));
        Assert.Contains("lowercase", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_AliasClashingWithName_Throws() =>
        Assert.Throws<InvalidOperationException>(() =>
            TransformationRegistry.Build([Lowercase.Instance], [("LOWERCASE", Uppercase.Instance)]));

    [Fact]
    public void Names_ListsEveryCrsName()
    {
        foreach (var name in CrsNames)
        {
            Assert.Contains(name, TransformationRegistry.Names, StringComparer.OrdinalIgnoreCase);
        }
    }

    /// <summary>Every transformation must hand back the same instance on input it leaves alone, and never emit a
    /// char above 0xFF whatever bytes come in.</summary>
    [Fact]
    public void Apply_EveryTransformation_ByteSafeOnAllBytes()
    {
        var allBytes = new string(Enumerable.Range(0, 256).Select(b => (char)b).ToArray());
        foreach (var name in TransformationRegistry.Names)
        {
            Assert.True(TransformationRegistry.TryGet(name, out var transformation));
            var output = transformation.Apply(allBytes + "%u00%\\");
            Assert.All(output, c => Assert.True(c <= 0xFF, $"{name} produced a char above 0xFF"));
        }
    }

    [Theory]
    [InlineData("urlDecodeUni")]
    [InlineData("htmlEntityDecode")]
    [InlineData("jsDecode")]
    [InlineData("cssDecode")]
    [InlineData("utf8toUnicode")]
    [InlineData("cmdLine")]
    [InlineData("normalizePath")]
    [InlineData("compressWhitespace")]
    [InlineData("removeCommentsChar")]
    public void Apply_TypicalBenignValue_ReturnsSameInstance(string name)
    {
        Assert.True(TransformationRegistry.TryGet(name, out var transformation));
        const string value = "some benign value 42";
        Assert.Same(value, transformation.Apply(value));
    }
}
