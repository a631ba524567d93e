namespace Portcullis.Waf.Transformations;

/// <summary>
/// <c>t:urlDecode</c> — decodes <c>%HH</c> and turns <c>+</c> into a space. Invalid or truncated <c>%</c> sequences
/// are kept as they are (ModSecurity v2 <c>urldecode_nonstrict_inplace_ex</c>). Example: <c>a%20b+c%zz</c> →
/// <c>a b c%zz</c>.
/// </summary>
internal sealed class UrlDecode : Transformation
{
    public static readonly UrlDecode Instance = new();

    private UrlDecode()
    {
    }

    public override string Name => "urlDecode";

    public override bool NeverLengthens => true;

    /// <inheritdoc />
    /// <remarks>Percent escapes and <c>+</c>.</remarks>
    public override string? Triggers => "%+";

    public override string Apply(string input) => PercentDecoder.Decode(input, decodeUnicode: false);
}
