namespace Portcullis.Waf.Transformations;

/// <summary>
/// <c>t:urlDecodeUni</c> — <see cref="UrlDecode"/> plus IIS's <c>%uHHHH</c>. ModSecurity v2
/// (<c>urldecode_uni_nonstrict_inplace_ex</c>, no <c>SecUnicodeMapFile</c>) keeps only the low byte, except that the
/// full-width ASCII range U+FF01–U+FF5E becomes ASCII (low byte + 0x20). Example: <c>%u0041%uFF41+</c> → <c>Aa </c>.
/// </summary>
internal sealed class UrlDecodeUni : Transformation
{
    public static readonly UrlDecodeUni Instance = new();

    private UrlDecodeUni()
    {
    }

    public override string Name => "urlDecodeUni";

    public override bool NeverLengthens => true;

    /// <inheritdoc />
    /// <remarks>Percent escapes (including <c>%u</c>) and <c>+</c>.</remarks>
    public override string? Triggers => "%+";

    public override string Apply(string input) => PercentDecoder.Decode(input, decodeUnicode: true);
}
