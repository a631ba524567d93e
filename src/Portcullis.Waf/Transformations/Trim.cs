namespace Portcullis.Waf.Transformations;

/// <summary><c>t:trim</c> — removes C-locale whitespace (not NBSP) from both ends. Example: <c> a </c> → <c>a</c>.</summary>
internal sealed class Trim : Transformation
{
    public static readonly Trim Instance = new();

    private Trim()
    {
    }

    public override string Name => "trim";

    public override bool NeverLengthens => true;

    /// <inheritdoc />
    public override string? Triggers => " \t\n\v\f\r";

    public override string Apply(string input) => CTrim.Apply(input, left: true, right: true);
}
