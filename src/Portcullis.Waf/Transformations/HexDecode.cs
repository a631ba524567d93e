namespace Portcullis.Waf.Transformations;

/// <summary>
/// <c>t:hexDecode</c> — pairs of hex digits to bytes. Like ModSecurity v2's <c>hex2bytes_inplace</c> it does not
/// validate: each pair goes through <c>x2c</c>'s arithmetic whatever it holds, and an odd last char is dropped.
/// Example: <c>414243</c> → <c>ABC</c>.
/// </summary>
internal sealed class HexDecode : Transformation
{
    public static readonly HexDecode Instance = new();

    private HexDecode()
    {
    }

    public override string Name => "hexDecode";

    public override bool NeverLengthens => true;

    public override string Apply(string input)
    {
        if (input.Length < 2)
        {
            return input.Length == 0 ? input : string.Empty;
        }
        return string.Create(input.Length / 2, input, static (destination, source) =>
        {
            for (var i = 0; i < destination.Length; i++)
            {
                destination[i] = (char)(((X2cDigit(source[2 * i]) * 16) + X2cDigit(source[(2 * i) + 1])) & 0xFF);
            }
        });
    }

    /// <summary>x2c's digit formula, byte arithmetic included, so garbage in gives v2's garbage out.</summary>
    private static int X2cDigit(char c) => (c >= 'A' ? ((c & 0xDF) - 'A') + 10 : c - '0') & 0xFF;
}
