using Portcullis.Waf.Tests.Operators.Prefilter;
using Portcullis.Waf.Transformations;

namespace Portcullis.Waf.Tests.Transformations;

/// <summary>
/// A transformation's declared triggers let the engine skip it for values without them (UnchangedValues): each
/// declaration must hold, or a rule would test an untransformed value and miss an attack.
/// </summary>
public sealed class TransformationTriggerTests
{
    private static string[] DeclaringNames() =>
        [.. TransformationRegistry.Names.Where(n => TransformationRegistry.TryGet(n, out var t) && t.Triggers is not null).Order()];

    public static TheoryData<string> Declaring() => [.. DeclaringNames()];

    [Fact]
    public void Declarations_CoverTheTransformationsCrsChains()
    {
        var declaring = DeclaringNames().ToHashSet(StringComparer.OrdinalIgnoreCase);

        foreach (var name in new[] { "lowercase", "urlDecodeUni", "htmlEntityDecode", "jsDecode", "cssDecode", "removeNulls", "utf8toUnicode", "cmdLine", "compressWhitespace", "removeWhitespace", "normalizePath", "replaceComments" })
        {
            Assert.Contains(name, declaring);
        }
    }

    [Theory]
    [MemberData(nameof(Declaring))]
    public void RandomValuesWithoutTriggers_ComeOutUnchanged(string name)
    {
        Assert.True(TransformationRegistry.TryGet(name, out var transformation));
        var safe = Enumerable.Range(0, 128).Select(c => (char)c).Where(c => !transformation.Triggers!.Contains(c)).ToArray();
        var random = new Random(name.GetHashCode(StringComparison.Ordinal));

        for (var i = 0; i < 20_000; i++)
        {
            var value = new string([.. Enumerable.Range(0, random.Next(0, 40)).Select(_ => safe[random.Next(safe.Length)])]);
            Assert.Equal(value, transformation.Apply(value));
        }
    }

    [Theory]
    [MemberData(nameof(Declaring))]
    public void CorpusValuesWithoutTriggers_ComeOutUnchanged(string name)
    {
        Assert.True(TransformationRegistry.TryGet(name, out var transformation));
        var checkedValues = 0;

        foreach (var value in SampleValues.Load())
        {
            if (value.Any(c => c >= 128 || transformation.Triggers!.Contains(c)))
            {
                continue;
            }
            Assert.Equal(value, transformation.Apply(value));
            checkedValues++;
        }
        Assert.True(checkedValues > 100, $"only {checkedValues} corpus values lack {name}'s triggers");
    }

    private static string[] FoldingCaseOnlyNames() =>
        [.. DeclaringNames().Where(n => TransformationRegistry.TryGet(n, out var t) && t.FoldsCaseOnly)];

    public static TheoryData<string> FoldingCaseOnly() => [.. FoldingCaseOnlyNames()];

    [Fact]
    public void FoldsCaseOnly_DeclaredByLowercaseAndCmdLine()
    {
        Assert.Equal(["cmdLine", "lowercase"], FoldingCaseOnlyNames().Order(StringComparer.OrdinalIgnoreCase));
    }

    [Theory]
    [MemberData(nameof(FoldingCaseOnly))]
    public void RandomValuesOfSafeCharsAndUpperCase_ComeOutLowercased(string name)
    {
        Assert.True(TransformationRegistry.TryGet(name, out var transformation));
        var safe = Enumerable.Range(0, 128).Select(c => (char)c).Where(c => !transformation.Triggers!.Contains(c) || char.IsAsciiLetterUpper(c)).ToArray();
        var random = new Random(name.GetHashCode(StringComparison.Ordinal));

        for (var i = 0; i < 20_000; i++)
        {
            var value = new string([.. Enumerable.Range(0, random.Next(0, 40)).Select(_ => safe[random.Next(safe.Length)])]);
            Assert.Equal(value.ToLowerInvariant(), transformation.Apply(value));
        }
    }

    [Fact]
    public void Pipeline_ScanSafeChars_AddUpperCaseOnlyWhereEveryStepOnlyLowercasesIt()
    {
        Assert.True(TransformationRegistry.TryGet("urlDecodeUni", out var decode));
        Assert.True(TransformationRegistry.TryGet("lowercase", out var lower));
        Assert.True(TransformationRegistry.TryGet("cmdLine", out var cmdLine));
        Assert.True(TransformationRegistry.TryGet("hexDecode", out var hex));
        Assert.True(TransformationRegistry.TryGet("base64Decode", out var base64));

        var decodeLower = UnchangedValues.For([decode, lower])!;
        Assert.False(decodeLower.Mask.Contains('A'));
        Assert.True(decodeLower.ScanMask.Contains('A'));
        Assert.False(decodeLower.ScanMask.Contains('%'));
        Assert.True(UnchangedValues.For([cmdLine])!.ScanMask.Contains('Z'));
        Assert.False(UnchangedValues.For([cmdLine])!.ScanMask.Contains('"'));
        // A step that does not declare its triggers: nothing is assumed, as for the exact set.
        Assert.Null(UnchangedValues.For([lower, base64]));
        Assert.Null(UnchangedValues.For([hex, lower]));
    }

    [Fact]
    public void Pipeline_SafeCharsAreWhatNoStepTriggersOn()
    {
        Assert.True(TransformationRegistry.TryGet("urlDecodeUni", out var decode));
        Assert.True(TransformationRegistry.TryGet("lowercase", out var lower));
        Assert.True(TransformationRegistry.TryGet("base64Decode", out var base64));

        var safe = UnchangedValues.SafeCharsFor([decode, lower])!;

        Assert.True(UnchangedValues.Holds(safe, "blue running shoes 12345"));
        Assert.False(UnchangedValues.Holds(safe, "Blue"));       // lowercase would change it
        Assert.False(UnchangedValues.Holds(safe, "a%20b"));      // urlDecodeUni would
        Assert.False(UnchangedValues.Holds(safe, "caf\u00e9"));  // never assumed for bytes >= 0x80
        Assert.Null(UnchangedValues.SafeCharsFor([decode, base64])); // a step that does not declare: no shortcut
        Assert.Null(UnchangedValues.SafeCharsFor([]));
    }
}
