using System.Diagnostics.CodeAnalysis;

namespace Portcullis.Waf.Transformations;

// TEMPORARY placeholder with the agreed API; replaced by the transformations work.
internal static class TransformationRegistry
{
    public static bool TryGet(string name, [NotNullWhen(true)] out Transformation? transformation)
    {
        transformation = string.Equals(name, "lowercase", StringComparison.OrdinalIgnoreCase) ? new Lower() : null;
        return transformation is not null;
    }

    public static IReadOnlyCollection<string> Names { get; } = ["lowercase"];

    private sealed class Lower : Transformation
    {
        public override string Name => "lowercase";

        public override string Apply(string input) => input.ToLowerInvariant();
    }
}
