namespace Portcullis.Waf.Transformations;

/// <summary>
/// <c>t:base64Decode</c> — ModSecurity v2 calls APR's <c>apr_base64_decode</c>, which decodes the leading run of
/// standard-alphabet chars and stops at the first other byte (<c>=</c> padding, whitespace, <c>-</c>/<c>_</c>,
/// NUL…); a trailing partial group yields its whole bytes. Example: <c>dGVzdA==rest</c> → <c>test</c>;
/// <c>!abc</c> → empty.
/// </summary>
internal sealed class Base64Decode : Transformation
{
    public static readonly Base64Decode Instance = new();

    private Base64Decode()
    {
    }

    public override string Name => "base64Decode";

    public override bool NeverLengthens => true;

    public override string Apply(string input)
    {
        if (input.Length == 0)
        {
            return input;
        }
        var span = input.AsSpan();
        var count = 0;
        while (count < span.Length && Base64Alphabet.Sextet(span[count]) >= 0)
        {
            count++;
        }
        return Base64Alphabet.Decode(span[..count], count);
    }
}
