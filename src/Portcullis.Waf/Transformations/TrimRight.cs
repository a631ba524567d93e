namespace Portcullis.Waf.Transformations;

/// <summary><c>t:trimRight</c> — removes trailing C-locale whitespace. Example: <c> a </c> → <c> a</c>.</summary>
internal sealed class TrimRight : Transformation
{
    public static readonly TrimRight Instance = new();

    private TrimRight()
    {
    }

    public override string Name => "trimRight";

    public override bool NeverLengthens => true;

    /// <inheritdoc />
    public override string? Triggers => " \t\n\v\f\r";

    public override string Apply(string input) => CTrim.Apply(input, left: false, right: true);
}
