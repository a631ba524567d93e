namespace Portcullis.Waf.Transformations;

/// <summary>
/// <c>t:hexEncode</c> — two lowercase hex digits per byte (ModSecurity v2 <c>bytes2hex</c>).
/// Example: <c>Az\xFF</c> → <c>417aff</c>.
/// </summary>
internal sealed class HexEncode : Transformation
{
    public static readonly HexEncode Instance = new();

    private HexEncode()
    {
    }

    public override string Name => "hexEncode";

    public override string Apply(string input)
    {
        if (input.Length == 0)
        {
            return input;
        }
        return string.Create(input.Length * 2, input, static (destination, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                var b = source[i] & 0xFF;
                destination[2 * i] = CType.HexDigit(b >> 4);
                destination[(2 * i) + 1] = CType.HexDigit(b & 0xF);
            }
        });
    }
}
