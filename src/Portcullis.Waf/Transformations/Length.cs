using System.Globalization;

namespace Portcullis.Waf.Transformations;

/// <summary>
/// <c>t:length</c> — the byte count as a decimal string (one char is one byte). Example: <c>abc</c> → <c>3</c>.
/// </summary>
internal sealed class Length : Transformation
{
    public static readonly Length Instance = new();

    private Length()
    {
    }

    public override string Name => "length";

    public override string Apply(string input) => input.Length.ToString(CultureInfo.InvariantCulture);
}
