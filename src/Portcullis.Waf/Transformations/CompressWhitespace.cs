namespace Portcullis.Waf.Transformations;

/// <summary>
/// <c>t:compressWhitespace</c> — each run of C-locale whitespace and NBSP (0xA0) becomes one space, as in
/// ModSecurity v2 (so a lone tab becomes a space too). Example: <c>a \t\n b</c> → <c>a b</c>.
/// </summary>
internal sealed class CompressWhitespace : Transformation
{
    public static readonly CompressWhitespace Instance = new();

    private CompressWhitespace()
    {
    }

    public override string Name => "compressWhitespace";

    public override bool NeverLengthens => true;

    /// <inheritdoc />
    public override string? Triggers => " \t\n\v\f\r";

    public override string Apply(string input)
    {
        var span = input.AsSpan();
        var first = span.IndexOfAny(RemoveWhitespace.Whitespace);
        if (first < 0)
        {
            return input;
        }
        var output = new Latin1Builder(stackalloc char[256]);
        try
        {
            output.EnsureCapacity(span.Length);
            output.Append(span[..first]);
            var inWhitespace = false;
            for (var i = first; i < span.Length; i++)
            {
                var c = span[i];
                if (CType.IsSpace(c) || c == CType.Nbsp)
                {
                    if (!inWhitespace)
                    {
                        output.Append(' ');
                        inWhitespace = true;
                    }
                }
                else
                {
                    output.Append(c);
                    inWhitespace = false;
                }
            }
            return output.ToStringOrOriginal(input);
        }
        finally
        {
            output.Dispose();
        }
    }
}
