namespace Portcullis.Waf.Transformations;

/// <summary><c>t:trimLeft</c> — removes leading C-locale whitespace. Example: <c> a </c> → <c>a </c>.</summary>
internal sealed class TrimLeft : Transformation
{
    public static readonly TrimLeft Instance = new();

    private TrimLeft()
    {
    }

    public override string Name => "trimLeft";

    public override bool NeverLengthens => true;

    /// <inheritdoc />
    public override string? Triggers => " \t\n\v\f\r";

    public override string Apply(string input) => CTrim.Apply(input, left: true, right: false);
}
