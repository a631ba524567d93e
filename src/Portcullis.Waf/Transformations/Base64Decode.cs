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
        var count = LeadingRun(input);
        return Base64Alphabet.Decode(input.AsSpan(0, count), count);
    }

    /// <summary>Exactly the decoded length: three bytes per four characters of the leading run, and the whole bytes of a partial group.</summary>
    public override int OutputLengthBound(string input)
    {
        var count = LeadingRun(input);
        return (count / 4 * 3) + Math.Max(0, (count % 4) - 1);
    }

    private static int LeadingRun(string input)
    {
        var count = 0;
        while (count < input.Length && Base64Alphabet.Sextet(input[count]) >= 0)
        {
            count++;
        }
        return count;
    }
}
