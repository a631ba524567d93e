using Portcullis.Waf.Transformations;

namespace Portcullis.Waf.Tests.Transformations;

internal static class TransformationAssert
{
    /// <summary>Applies the named transformation (through the registry, as the engine will) and checks the bytes;
    /// when the output equals the input it must be the very same instance.</summary>
    public static void Transforms(string name, string input, string expected)
    {
        Assert.True(TransformationRegistry.TryGet(name, out var transformation));
        var actual = transformation.Apply(input);
        Assert.Equal(Hex(expected), Hex(actual));
        if (expected == input)
        {
            Assert.Same(input, actual);
        }
        Assert.All(actual, c => Assert.True(c <= 0xFF, "output holds only bytes"));
    }

    private static string Hex(string value) =>
        string.Join(' ', value.Select(c => c is >= ' ' and < '\x7f' ? c.ToString() : $"\\x{(int)c:x2}"));
}
