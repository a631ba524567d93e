namespace Portcullis.Waf.Transformations;

/// <summary>
/// <c>t:uppercase</c> (ModSecurity v3) — a–z to A–Z only, bytes ≥ 0x80 untouched. Example: <c>select</c> →
/// <c>SELECT</c>.
/// </summary>
internal sealed class Uppercase : Transformation
{
    public static readonly Uppercase Instance = new();

    private Uppercase()
    {
    }

    public override string Name => "uppercase";

    public override bool NeverLengthens => true;

    public override string Apply(string input)
    {
        var first = input.AsSpan().IndexOfAnyInRange('a', 'z');
        if (first < 0)
        {
            return input;
        }
        return string.Create(input.Length, (input, first), static (destination, state) =>
        {
            state.input.AsSpan().CopyTo(destination);
            for (var i = state.first; i < destination.Length; i++)
            {
                destination[i] = CType.ToUpper(destination[i]);
            }
        });
    }
}
