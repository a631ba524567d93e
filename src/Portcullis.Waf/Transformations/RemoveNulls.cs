namespace Portcullis.Waf.Transformations;

/// <summary><c>t:removeNulls</c> — deletes every 0x00 byte. Example: <c>a\0b</c> → <c>ab</c>.</summary>
internal sealed class RemoveNulls : Transformation
{
    public static readonly RemoveNulls Instance = new();

    private RemoveNulls()
    {
    }

    public override string Name => "removeNulls";

    public override bool NeverLengthens => true;

    /// <inheritdoc />
    public override string? Triggers => "\0";

    public override string Apply(string input) => input.Contains('\0', StringComparison.Ordinal)
        ? input.Replace("\0", string.Empty, StringComparison.Ordinal)
        : input;
}
