namespace Portcullis.Waf.Transformations;

/// <summary>
/// <c>t:lowercase</c> — <c>tolower()</c> in the C locale: A–Z only; bytes ≥ 0x80 (É) are left alone, as in
/// ModSecurity v2. Example: <c>SELECT É</c> → <c>select É</c>.
/// </summary>
internal sealed class Lowercase : Transformation
{
    public static readonly Lowercase Instance = new();

    private Lowercase()
    {
    }

    public override string Name => "lowercase";

    public override bool NeverLengthens => true;

    /// <inheritdoc />
    /// <remarks>A-Z only (C locale).</remarks>
    public override string? Triggers => "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

    /// <inheritdoc />
    public override bool FoldsCaseOnly => true;

    public override string Apply(string input)
    {
        var first = input.AsSpan().IndexOfAnyInRange('A', 'Z');
        if (first < 0)
        {
            return input;
        }
        return string.Create(input.Length, (input, first), static (destination, state) =>
        {
            state.input.AsSpan().CopyTo(destination);
            for (var i = state.first; i < destination.Length; i++)
            {
                destination[i] = CType.ToLower(destination[i]);
            }
        });
    }
}
