namespace Portcullis.Waf.Transformations;

/// <summary>
/// <c>t:replaceComments</c> — each C-style <c>/* … */</c> comment becomes one space; an unterminated comment runs to
/// the end and also becomes one space; a lone <c>*/</c> is left alone (ModSecurity v2).
/// Example: <c>UNION/**/SELECT/* x</c> → <c>UNION SELECT </c>.
/// </summary>
internal sealed class ReplaceComments : Transformation
{
    public static readonly ReplaceComments Instance = new();

    private ReplaceComments()
    {
    }

    public override string Name => "replaceComments";

    public override bool NeverLengthens => true;

    /// <inheritdoc />
    /// <remarks>Comments open with <c>/*</c>.</remarks>
    public override string? Triggers => "/";

    public override string Apply(string input)
    {
        var span = input.AsSpan();
        var first = span.IndexOf("/*", StringComparison.Ordinal);
        if (first < 0)
        {
            return input;
        }
        var output = new Latin1Builder(stackalloc char[256]);
        try
        {
            output.EnsureCapacity(span.Length);
            var i = 0;
            while (i < span.Length)
            {
                var open = span[i..].IndexOf("/*", StringComparison.Ordinal);
                if (open < 0)
                {
                    output.Append(span[i..]);
                    break;
                }
                output.Append(span.Slice(i, open));
                var bodyStart = i + open + 2;
                var close = span[bodyStart..].IndexOf("*/", StringComparison.Ordinal);
                output.Append(' ');
                if (close < 0)
                {
                    break;
                }
                i = bodyStart + close + 2;
            }
            return output.ToString();
        }
        finally
        {
            output.Dispose();
        }
    }
}
