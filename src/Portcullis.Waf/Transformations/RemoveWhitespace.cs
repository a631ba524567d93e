using System.Buffers;

namespace Portcullis.Waf.Transformations;

/// <summary>
/// <c>t:removeWhitespace</c> — deletes C-locale whitespace (space, \t \n \v \f \r) and the NBSP byte 0xA0, as
/// ModSecurity v2 does. Example: <c>s e\tl\xA0ect</c> → <c>select</c>.
/// </summary>
internal sealed class RemoveWhitespace : Transformation
{
    public static readonly RemoveWhitespace Instance = new();

    /// <summary>isspace() in the C locale plus NBSP.</summary>
    internal static readonly SearchValues<char> Whitespace = SearchValues.Create(" \t\n\v\f\r\u00A0");

    private RemoveWhitespace()
    {
    }

    public override string Name => "removeWhitespace";

    public override bool NeverLengthens => true;

    /// <inheritdoc />
    public override string? Triggers => " \t\n\v\f\r";

    public override string Apply(string input)
    {
        var span = input.AsSpan();
        var first = span.IndexOfAny(Whitespace);
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
                var next = span[i..].IndexOfAny(Whitespace);
                if (next < 0)
                {
                    output.Append(span[i..]);
                    break;
                }
                output.Append(span.Slice(i, next));
                i += next + 1;
            }
            return output.ToString();
        }
        finally
        {
            output.Dispose();
        }
    }
}
