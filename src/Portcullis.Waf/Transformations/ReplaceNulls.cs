namespace Portcullis.Waf.Transformations;

/// <summary><c>t:replaceNulls</c> — turns every 0x00 byte into a space. Example: <c>a\0b</c> → <c>a b</c>.</summary>
internal sealed class ReplaceNulls : Transformation
{
    public static readonly ReplaceNulls Instance = new();

    private ReplaceNulls()
    {
    }

    public override string Name => "replaceNulls";

    public override bool NeverLengthens => true;

    /// <inheritdoc />
    public override string? Triggers => "\0";

    public override string Apply(string input) => input.Replace('\0', ' ');
}
