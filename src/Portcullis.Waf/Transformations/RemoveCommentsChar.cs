using System.Buffers;

namespace Portcullis.Waf.Transformations;

/// <summary>
/// <c>t:removeCommentsChar</c> — deletes the comment markers <c>/*</c>, <c>*/</c>, <c>&lt;!--</c>, <c>--&gt;</c>,
/// <c>--</c> and <c>#</c>, keeping what is between them (ModSecurity v2 <c>msre_fn_removeCommentsChar_execute</c>,
/// checked in that order at each position). Example: <c>1/*x*/OR--#1</c> → <c>1xOR1</c>.
/// </summary>
internal sealed class RemoveCommentsChar : Transformation
{
    public static readonly RemoveCommentsChar Instance = new();

    private static readonly SearchValues<char> MarkerStarts = SearchValues.Create("/*<-#");

    private RemoveCommentsChar()
    {
    }

    public override string Name => "removeCommentsChar";

    public override bool NeverLengthens => true;

    /// <summary>Every marker starts with one of these; a value without them comes back as it is.</summary>
    public override string? Triggers => "/*<-#";

    public override string Apply(string input)
    {
        var span = input.AsSpan();
        if (span.IndexOfAny(MarkerStarts) < 0)
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
                var marker = MarkerLength(span[i..]);
                if (marker > 0)
                {
                    i += marker;
                }
                else
                {
                    output.Append(span[i]);
                    i++;
                }
            }
            return output.ToStringOrOriginal(input);
        }
        finally
        {
            output.Dispose();
        }
    }

    private static int MarkerLength(ReadOnlySpan<char> rest)
    {
        if (rest.StartsWith("/*", StringComparison.Ordinal) || rest.StartsWith("*/", StringComparison.Ordinal))
        {
            return 2;
        }
        if (rest.StartsWith("<!--", StringComparison.Ordinal))
        {
            return 4;
        }
        if (rest.StartsWith("-->", StringComparison.Ordinal))
        {
            return 3;
        }
        if (rest.StartsWith("--", StringComparison.Ordinal))
        {
            return 2;
        }
        return rest[0] == '#' ? 1 : 0;
    }
}
