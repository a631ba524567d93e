namespace Portcullis.Waf.Transformations;

/// <summary>
/// <c>t:urlEncode</c> — ModSecurity v2's <c>url_encode</c>: space → <c>+</c>; <c>*</c>, digits and ASCII letters
/// kept; every other byte → <c>%hh</c> (lowercase). Example: <c>a b/é</c> → <c>a+b%2f%e9</c>.
/// </summary>
internal sealed class UrlEncode : Transformation
{
    public static readonly UrlEncode Instance = new();

    private UrlEncode()
    {
    }

    public override string Name => "urlEncode";

    private static bool Keeps(char c) => c == '*' || char.IsAsciiLetterOrDigit(c);

    public override string Apply(string input)
    {
        var extra = 0;
        foreach (var c in input)
        {
            if (c != ' ' && !Keeps(c))
            {
                extra += 2;
            }
        }
        if (extra == 0 && !input.Contains(' ', StringComparison.Ordinal))
        {
            return input;
        }
        return string.Create(input.Length + extra, input, static (destination, source) =>
        {
            var d = 0;
            foreach (var c in source)
            {
                if (c == ' ')
                {
                    destination[d++] = '+';
                }
                else if (Keeps(c))
                {
                    destination[d++] = c;
                }
                else
                {
                    destination[d++] = '%';
                    destination[d++] = CType.HexDigit((c >> 4) & 0xF);
                    destination[d++] = CType.HexDigit(c & 0xF);
                }
            }
        });
    }
}
