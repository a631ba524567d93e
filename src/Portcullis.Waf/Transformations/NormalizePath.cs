namespace Portcullis.Waf.Transformations;

/// <summary>
/// <c>t:normalizePath</c> (v2 also spells it <c>normalisePath</c>) — removes <c>./</c>, resolves <c>../</c> and
/// collapses repeated slashes; see <see cref="PathNormalizer"/>. Example: <c>/a/./b/../../c//d</c> → <c>/c/d</c>.
/// </summary>
internal sealed class NormalizePath : Transformation
{
    public static readonly NormalizePath Instance = new();

    private NormalizePath()
    {
    }

    public override string Name => "normalizePath";

    public override bool NeverLengthens => true;

    /// <inheritdoc />
    /// <remarks>Separators and dots.</remarks>
    public override string? Triggers => "/.";

    public override string Apply(string input) => PathNormalizer.Normalize(input, windows: false);
}
