namespace Portcullis.Waf.Transformations;

/// <summary>
/// <c>t:normalizePathWin</c> (also <c>normalisePathWin</c>) — <see cref="NormalizePath"/> after turning every
/// backslash into a slash. Example: <c>C:\a\..\b\.\c</c> → <c>C:/b/c</c>.
/// </summary>
internal sealed class NormalizePathWin : Transformation
{
    public static readonly NormalizePathWin Instance = new();

    private NormalizePathWin()
    {
    }

    public override string Name => "normalizePathWin";

    public override bool NeverLengthens => true;

    /// <inheritdoc />
    /// <remarks>Both separators and dots.</remarks>
    public override string? Triggers => "/.\\";

    public override string Apply(string input) => PathNormalizer.Normalize(input, windows: true);
}
